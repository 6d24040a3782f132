/// @file shard_runs.cpp
#include "index/runs.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <xapian.h>

#include "index/database.h"
#include "index/shard_layout.h"

namespace clippings {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Why the indexer cannot write into these shards; nullopt when it can.
std::optional<Error> unwritable_shards(const Config& config, const IndexOptions& options) {
  if (std::find(options.sources.begin(), options.sources.end(), "-") != options.sources.end()) {
    return Error{400, "invalid_source",
                 "cannot read stdin into shards: the run into each shard reads all the input; save it to a file",
                 "SOURCE"};
  }
  // Every shard is checked before any is written: a run refused by one writes none.
  for (std::size_t i = 0; i < config.shards.size(); ++i) {
    const std::string& shard = config.shards[i];
    const ShardPlace place{i, config.shards.size()};
    if (remote_address(shard)) {
      // Opened for writing, then closed: a server that is down, read-only or busy with
      // another writer is found now.
      auto db = open_for_writing(shard);
      if (!db) return db.error();
      auto checked = check_shard_place(*db, shard, place);
      if (!checked) return checked.error();
      continue;
    }
    if (!fs::exists(shard)) continue;
    std::optional<Xapian::Database> db;
    try {
      db.emplace(shard);
    } catch (const Xapian::Error&) {
      continue;  // not a database yet: its run creates it, or says why it cannot
    }
    auto checked = check_shard_place(*db, shard, place);
    if (!checked) return checked.error();
  }
  return std::nullopt;
}

/// Groups the copies that the runs into `paths` (an index's shards) left, across all of
/// them, then writes each shard's fingerprints: a file counts as indexed once its articles
/// are grouped.
Result<bool> finish_shards(const std::vector<std::string>& paths, const std::vector<LeftToFinish>& left) {
  const auto started = Clock::now();
  try {
    std::vector<Xapian::WritableDatabase> shards;
    CopiesToGroup copies;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      auto shard = open_for_writing(paths[i]);
      if (!shard) return shard.error();
      shards.push_back(std::move(*shard));
      copies.add(left[i].copies);
    }
    group_copies(shards, copies, slot_reading_for(paths));
    for (Xapian::WritableDatabase& shard : shards) shard.commit();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      for (const auto& [key, value] : left[i].fingerprints) shards[i].set_metadata(key, value);
      shards[i].commit();
    }
  } catch (const Xapian::Error& e) {
    return Error{500, "write_failed", "cannot group the copies across the shards: " + e.get_description(), {}};
  }
  spdlog::info("grouped copies across {} shards in {:.1f} s", paths.size(),
               std::chrono::duration<double>(Clock::now() - started).count());
  return true;
}

}  // namespace

/// Indexes into every shard of `config.shards` at once, each run with its share of the
/// threads and memory. Each run reads all the input and keeps what its shard holds
/// (ShardPlace): extracting an article costs little beside building its document, and each
/// shard is then written as one database is, bulk loaded when empty, updated in place and
/// pruned on its own. The copies are grouped at the end, across all shards.
Result<IndexStats> run_into_shards(const Config& config, const IndexOptions& options, const std::atomic<bool>& stop,
                                   RejectionReport& report) {
  if (auto refused = unwritable_shards(config, options)) return *refused;
  const auto started = Clock::now();
  const std::size_t count = config.shards.size();
  std::vector<Config> configs(count, config);
  std::vector<IndexOptions> shard_options(count, options);
  std::vector<Result<IndexStats>> results(count, Result<IndexStats>{IndexStats{}});
  std::vector<LeftToFinish> left(count);
  ArticleCount written_by_all{0};
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < count; ++i) {
    configs[i].database = config.shards[i];
    configs[i].shards.clear();
    configs[i].indexer.threads = static_cast<int>(std::max<std::size_t>(1, thread_count(config) / count));
    configs[i].indexer.memory_limit_mb = std::max<std::size_t>(1, config.indexer.memory_limit_mb / count);
    shard_options[i].place = {i, count};
    // One progress line: the first shard's, which reads what every shard reads and counts
    // what every shard writes.
    if (i > 0) shard_options[i].progress = ProgressMode::kNone;
    runs.emplace_back([&, i] {
      results[i] = run_database(configs[i], shard_options[i], stop, report, &left[i], &written_by_all);
    });
  }
  for (auto& run : runs) run.join();
  IndexStats total;
  for (std::size_t i = 0; i < count; ++i) {
    if (!results[i]) return results[i];
    total.added += results[i]->added;
    total.replaced += results[i]->replaced;
    total.deleted += results[i]->deleted;
    total.interrupted = total.interrupted || results[i]->interrupted;
  }
  auto finished = finish_shards(config.shards, left);
  if (!finished) return finished.error();
  // Every run read the same input: the first one's counts of it stand for all.
  total.unchanged = results[0]->unchanged;
  total.skipped = results[0]->skipped;
  total.bytes = results[0]->bytes;
  total.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return total;
}

}  // namespace clippings
