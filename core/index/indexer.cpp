/// @file indexer.cpp
/// The run: a reader thread cuts the input into numbered items for the threads that index
/// them. Into a new database (bulk), each thread parses items and writes them to a shard of its
/// own, and the shards are merged at the end. Into an existing one, parse threads hand their
/// results to this thread, which puts them back in input order for the one writer that can
/// replace documents in place. This thread also logs rejections and draws progress. Into the
/// shards of an index, a run like this goes into each shard at once (shard_runs.cpp).
#include "index/indexer.h"

#include <pthread.h>
#include <stdlib.h>  // setenv

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "index/database.h"
#include "index/fingerprint.h"
#include "index/near_duplicates.h"
#include "index/pipeline.h"
#include "index/progress.h"
#include "index/reader.h"
#include "index/rejections.h"
#include "index/runs.h"
#include "index/shard_writer.h"
#include "index/sources.h"
#include "schema.h"

namespace clippings {
namespace fs = std::filesystem;

namespace {

/// Bulk shards commit (and so flush Xapian's inverter) this often: measured here, small
/// flushes keep the inverter in cache and write ~2x faster than the default 10,000.
constexpr std::size_t kBulkFlushDocs = 256;
/// Batches waiting for the writer of an update.
constexpr std::size_t kWriterQueueBatches = 4;
/// Items waiting for each shard thread.
constexpr std::size_t kShardQueueItems = 2;
/// Rejections waiting to be logged.
constexpr std::size_t kRejectionQueue = 1024;
/// Rough memory one in-flight item costs: a 256 KiB chunk of JSON Lines becomes ~4.5 MB of
/// Xapian documents (terms, positions, stored data), measured on news articles.
constexpr std::size_t kItemMegabytes = 6;
/// The share of indexer.memory_limit_mb given to items in flight; the rest is for the writers'
/// buffers and spelling counts.
constexpr std::size_t kItemsSharePercent = 70;

std::size_t window_items(const Config& config) {
  const std::size_t budget = config.indexer.memory_limit_mb * kItemsSharePercent / 100;
  return std::clamp<std::size_t>(budget / kItemMegabytes, 4, 64);
}

using Clock = std::chrono::steady_clock;

// Names show in top and perf, which tells where an indexing run spends its time.
void name_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

class Run {
 public:
  /// With `left`, a run into one shard of an index, which leaves grouping to the caller.
  Run(const Config& config, const IndexOptions& options, const std::atomic<bool>& stop, RejectionReport& report,
      LeftToFinish* left, ArticleCount* written_by_all)
      : config_(config), options_(options), external_stop_(stop),
        threads_(thread_count(config)),
        window_size_(window_items(config)),
        window_(static_cast<std::ptrdiff_t>(window_size_)),
        work_(window_size_), results_(window_size_), progress_(options.progress), report_(report), left_(left),
        written_by_all_(written_by_all) {}

  Result<IndexStats> execute();

 private:
  Result<bool> prepare();
  Result<bool> open_writers();
  Result<bool> use_fingerprints(Xapian::WritableDatabase& db);
  void start_threads();
  void index_into_shard(std::size_t shard);
  void watch();
  void log_rejection(const Rejection& rejection);
  void dispatch();
  void handle(BuiltItem item);
  Result<bool> finish();
  void drop_older_copies();
  Result<bool> group_across_writers();
  Result<bool> compact_bulk_load();
  void log_grouping(Clock::time_point started) const;
  void share_spelling();
  MetadataEntries fingerprint_entries() const;
  void show_progress();
  ProgressSnapshot snapshot(std::uint64_t articles) const;

  const Config& config_;
  const IndexOptions& options_;
  const std::atomic<bool>& external_stop_;
  std::size_t threads_;
  std::size_t window_size_;
  InputReader::Window window_;
  BoundedQueue<WorkItem> work_;
  BoundedQueue<BuiltItem> results_;
  BoundedQueue<Rejection> rejections_{kRejectionQueue};  ///< bulk: from the shard threads
  ProgressLine progress_;
  RejectionReport& report_;  ///< shared by the runs into the shards of one index
  LeftToFinish* left_;       ///< a run into one shard: what it leaves to the end
  ArticleCount* written_by_all_;  ///< a run into one shard: the articles all the runs wrote
  std::uint64_t published_ = 0;   ///< this run's share of *written_by_all_

  Clock::time_point start_ = Clock::now();
  std::atomic<bool> stop_{false};  ///< what the reader obeys: an interrupt, or a failed writer
  SourcePlan plan_;
  std::vector<std::string> pruned_groups_;  ///< groups of copies that --prune took articles from
  Fingerprints known_;             ///< of the files indexed before, when they are to be trusted
  bool use_known_ = false;
  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<Extractor> extractor_;
  std::unique_ptr<InputReader> reader_;
  bool bulk_ = false;
  std::unique_ptr<ShardDirectory> shard_dir_;
  std::vector<std::unique_ptr<ShardWriter>> writers_;
  BoundedQueue<DocumentBatch> writer_queue_{kWriterQueueBatches};  ///< update: to the one writer
  std::vector<std::thread> threads_running_;
  std::thread reader_thread_;
  std::thread dealer_thread_;  ///< bulk: hands items to the shard threads
  std::vector<std::unique_ptr<BoundedQueue<WorkItem>>> shard_queues_;
  std::thread writer_thread_;  ///< update: the one writer
  std::atomic<std::size_t> parsers_left_{0};
  IndexStats stats_;
  std::atomic<std::uint64_t> processed_bytes_{0};  ///< input behind the articles written
  bool writer_failed_ = false;
};

Result<IndexStats> Run::execute() {
  auto prepared = prepare();
  if (!prepared) return prepared.error();
  start_threads();
  if (bulk_) {
    watch();
  } else {
    dispatch();
  }
  auto finished = finish();
  progress_.clear();
  if (!finished) return finished.error();
  stats_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  stats_.bytes = reader_->bytes_read();
  stats_.unchanged = reader_->unchanged();
  stats_.interrupted = reader_->interrupted();
  return stats_;
}

Result<bool> Run::prepare() {
  auto plan = plan_sources(options_.sources);
  if (!plan) return plan.error();
  plan_ = std::move(*plan);
  // Each shard's run reads the same input: the first tells what it skips.
  if (options_.place.index == 0) {
    for (const auto& path : plan_.unsupported) spdlog::info("{}: skipped (unsupported type)", path.string());
  }
  stats_.skipped = plan_.unsupported.size();
  if (!options_.catalog.empty()) {
    auto catalog = Catalog::load(options_.catalog);
    if (!catalog) return catalog.error();
    catalog_ = std::make_shared<const Catalog>(std::move(*catalog));
  }
  try {
    extractor_ = std::make_unique<Extractor>(config_);
  } catch (const std::exception& e) {
    return Error{400, "invalid_config", std::string{"cannot use the boilerplate rules: "} + e.what(),
                 "boilerplate"};
  }
  auto opened = open_writers();
  if (!opened) return opened;
  reader_ = std::make_unique<InputReader>(config_, catalog_, stop_, use_known_ ? &known_ : nullptr);
  return true;
}

Result<bool> Run::open_writers() {
  const fs::path target{config_.database};
  const bool remote = remote_address(config_.database).has_value();
  auto db = open_for_writing(config_.database);
  if (!db) return db.error();
  auto claimed = claim_shard_place(*db, target, options_.place);
  if (!claimed) return claimed;
  try {
    // A remote database's runs left nothing here: no bulk load writes one (below).
    if (!remote) recover_stale_shards(*db, target);
  } catch (const Xapian::Error& e) {
    return Error{500, "write_failed",
                 "cannot keep the articles of an unfinished run: " + e.get_description(), {}};
  }
  try {
    if (options_.prune) {
      stats_.deleted = prune_missing(*db, plan_.roots, pruned_groups_, slot_reading_for({config_.database}));
    }
  } catch (const Xapian::Error& e) {
    return Error{500, "write_failed", "cannot prune the database: " + e.get_description(), {}};
  }
  // An empty local database is a bulk load: one shard per thread, merged at the end.
  // Otherwise documents may replace ones already there, and one writer keeps that exact; so
  // too for a remote database, empty or not, as the shards to merge would be files here.
  const bool empty = db->get_doccount() == 0;
  bulk_ = !remote && empty;
  if (!bulk_ && !options_.force) {
    auto used = use_fingerprints(*db);
    if (!used) return used;
  }
  const std::size_t shards = bulk_ ? threads_ : 1;
  const auto batch = static_cast<std::size_t>(std::max(1, config_.indexer.batch_size));
  // Into an empty database, no id needs looking up, nor its spelling adding before the end:
  // for a remote one, those were a round trip each.
  const auto mode = empty ? ShardWriter::Mode::kBulk : ShardWriter::Mode::kIncremental;
  const std::size_t flush = bulk_ ? std::min(batch, kBulkFlushDocs) : batch;
  writers_.push_back(std::make_unique<ShardWriter>(std::move(*db), mode, flush));
  if (shards > 1) {
    try {
      shard_dir_ = std::make_unique<ShardDirectory>(target);
      for (std::size_t i = 1; i < shards; ++i) {
        // Merged into the target at the end; if the run dies, the next one copies what each
        // shard committed (recover_stale_shards). So blocks are copied on write, as usual,
        // which keeps the last commit intact whatever happens after it; only the fsync is
        // skipped (a crash of the process leaves the page cache to the kernel).
        Xapian::WritableDatabase shard{shard_dir_->shard(i).string(),
                                       Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC};
        writers_.push_back(std::make_unique<ShardWriter>(std::move(shard), mode, flush));
      }
    } catch (const std::exception& e) {
      return Error{500, "database_unavailable", std::string{"cannot create index shards: "} + e.what(), {}};
    } catch (const Xapian::Error& e) {
      return Error{500, "database_unavailable", "cannot create index shards: " + e.get_description(), {}};
    }
  }
  spdlog::info("indexing {} input(s) into {} ({})", plan_.inputs.size(), target.string(),
               bulk_    ? fmt::format("new database: bulk load in {} shard(s)", shards)
               : remote ? "remote database: updating in place"
                        : "existing database: updating in place");
  return true;
}

Result<bool> Run::use_fingerprints(Xapian::WritableDatabase& db) {
  if (stats_.deleted > 0) {
    // A deleted article may have replaced one with its id in a file that is still here and
    // unchanged: reading every file again brings that one back.
    spdlog::info("--prune deleted {} article(s): reading every input again", stats_.deleted);
    return true;
  }
  try {
    known_ = load_fingerprints(db);
    // The fingerprint of a file that has changed goes before any of its new articles are
    // committed: a run killed half-way through it must not leave it looking indexed.
    bool forgotten = false;
    for (const auto& input : plan_.inputs) {
      if (input.is_stdin()) continue;
      const std::string file = absolute_source_path(input.path);
      auto found = known_.find(file);
      if (found == known_.end()) continue;
      if (found->second.size != input.size || found->second.mtime_ns != input.mtime_ns) {
        db.set_metadata(schema::source_metadata_key(file), "");
        forgotten = true;
      }
    }
    if (forgotten) db.commit();
  } catch (const Xapian::Error& e) {
    return Error{500, "write_failed", "cannot update the database: " + e.get_description(), {}};
  }
  use_known_ = true;
  return true;
}

void Run::start_threads() {
  // The loops below pass later stops on; one that came before the start must hold at once.
  stop_ = external_stop_.load();
  parsers_left_ = threads_;
  if (bulk_) {
    // Every queue exists before any thread reads the vector: a push_back may move its storage.
    for (std::size_t i = 0; i < threads_; ++i) {
      shard_queues_.push_back(std::make_unique<BoundedQueue<WorkItem>>(kShardQueueItems));
    }
    for (std::size_t i = 0; i < threads_; ++i) {
      threads_running_.emplace_back([this, i] { index_into_shard(i); });
    }
    // Item n goes to shard n mod N, so that every shard (the target among them, which is what
    // a killed run keeps) gets its share from the first items on, whatever the timing.
    dealer_thread_ = std::thread([this] {
      name_thread("clip-deal");
      while (auto item = work_.pop()) {
        shard_queues_[item->seq % shard_queues_.size()]->push(std::move(*item));
      }
      for (auto& queue : shard_queues_) queue->close();
    });
  } else {
    writer_thread_ = std::thread([this] {
      name_thread("clip-write");
      writers_[0]->run(writer_queue_);
    });
    for (std::size_t i = 0; i < threads_; ++i) {
      threads_running_.emplace_back([this] {
        name_thread("clip-parse");
        ItemBuilder builder{*extractor_, config_.language};
        builder.keep_only(options_.place);
        while (auto item = work_.pop()) results_.push(builder.build(std::move(*item)));
        if (parsers_left_.fetch_sub(1) == 1) results_.close();
      });
    }
  }
  reader_thread_ = std::thread([this] {
    name_thread("clip-read");
    reader_->read(plan_, work_, window_);
    work_.close();
  });
}

void Run::index_into_shard(std::size_t shard) {
  // Parsing and writing on one thread, into a shard no other thread touches: no hand-over
  // between threads, and memory is freed by the thread that allocated it. An id that two
  // threads both wrote is settled at the end (drop_older_copies).
  name_thread("clip-index");
  ShardWriter& writer = *writers_[shard];
  // Spelling words are summed over the whole run and added once at the end.
  ItemBuilder builder{*extractor_, config_.language, /*spelling_per_item=*/false};
  builder.keep_only(options_.place);
  while (auto item = shard_queues_[shard]->pop()) {
    const std::uint64_t bytes = item->content.size();
    if (!writer.failed()) {  // after a failure, only drain the queue so the reader can stop
      BuiltItem built = builder.build(std::move(*item));
      DocumentBatch batch;
      batch.documents.reserve(built.entries.size());
      for (auto& entry : built.entries) {
        if (auto* rejection = std::get_if<Rejection>(&entry)) {
          rejections_.push(std::move(*rejection));
        } else {
          batch.documents.push_back(std::move(std::get<IndexedDocument>(entry)));
        }
      }
      if (!writer.try_write(batch, built.seq)) stop_ = true;
    }
    processed_bytes_.fetch_add(bytes, std::memory_order_relaxed);
    window_.release();
    // A bound on memory: the writer adds a map this large at its next commit.
    if (builder.spelling_words() >= ShardWriter::kSpellingFlushWords) {
      writer.count_spelling(builder.take_spelling());
    }
  }
  writer.count_spelling(builder.take_spelling());
  if (!writer.try_commit(false)) stop_ = true;
  if (parsers_left_.fetch_sub(1) == 1) rejections_.close();
}

void Run::watch() {
  while (!rejections_.drained()) {
    if (external_stop_.load()) stop_ = true;
    if (auto rejection = rejections_.pop_for(std::chrono::milliseconds{100})) {
      log_rejection(*rejection);
    }
    show_progress();
  }
}

void Run::log_rejection(const Rejection& rejection) {
  progress_.clear();
  if (rejection.warning) {
    report_.note(rejection);
    return;
  }
  report_.add(rejection);
}

void Run::dispatch() {
  std::map<std::uint64_t, BuiltItem> waiting;  // results that arrived before their turn
  std::uint64_t next = 0;
  while (!results_.drained()) {
    for (const auto& writer : writers_) writer_failed_ = writer_failed_ || writer->failed();
    if (external_stop_.load() || writer_failed_) stop_ = true;
    auto item = results_.pop_for(std::chrono::milliseconds{100});
    if (item) {
      waiting.emplace(item->seq, std::move(*item));
      for (auto it = waiting.begin(); it != waiting.end() && it->first == next;
           it = waiting.erase(it), ++next) {
        handle(std::move(it->second));
        window_.release();
      }
    }
    show_progress();
  }
  writer_queue_.close();
}

void Run::handle(BuiltItem item) {
  processed_bytes_ += item.input_bytes;
  DocumentBatch batch;
  batch.documents.reserve(item.entries.size());
  for (auto& entry : item.entries) {
    if (auto* rejection = std::get_if<Rejection>(&entry)) {
      log_rejection(*rejection);
    } else {
      batch.documents.push_back(std::move(std::get<IndexedDocument>(entry)));
    }
  }
  // The words go with their documents, to be added at the same commit.
  batch.spelling = std::move(item.spelling);
  if (writer_failed_ || (batch.documents.empty() && batch.spelling.empty())) return;
  if (!writer_queue_.push(std::move(batch))) writer_failed_ = true;
}

Result<bool> Run::finish() {
  reader_thread_.join();
  if (dealer_thread_.joinable()) dealer_thread_.join();
  for (auto& thread : threads_running_) thread.join();
  if (writer_thread_.joinable()) writer_thread_.join();
  if (bulk_) {
    drop_older_copies();
    share_spelling();
  }
  for (const auto& writer : writers_) {
    if (writer->failed()) return Error{500, "write_failed", "cannot write to the database: " + writer->error(), {}};
    stats_.added += writer->added();
    stats_.replaced += writer->replaced();
  }
  std::vector<fs::path> shards;
  for (std::size_t i = 1; i < writers_.size(); ++i) {
    if (writers_[i]->written() > 0) shards.push_back(shard_dir_->shard(i));
  }
  // Fingerprints are written with the last commit of the articles they vouch for.
  const MetadataEntries fingerprints = fingerprint_entries();
  if (left_) {
    *left_ = {writers_[0]->copies_to_group(pruned_groups_), fingerprints};
  } else if (shards.empty()) {
    const auto grouping = Clock::now();
    if (!writers_[0]->try_group_copies(pruned_groups_, slot_reading_for({config_.database})) ||
        !writers_[0]->try_set_metadata(fingerprints)) {
      return Error{500, "write_failed", "cannot write to the database: " + writers_[0]->error(), {}};
    }
    log_grouping(grouping);
  } else {
    auto grouped = group_across_writers();
    if (!grouped) return grouped;
  }
  for (auto& writer : writers_) writer->close();
  if (shards.empty()) return bulk_ && writers_[0]->written() > 0 ? compact_bulk_load() : Result<bool>{true};
  progress_.clear();
  spdlog::info("merging {} shard(s) into {}", shards.size() + 1, config_.database);
  return merge_shards(config_.database, shards, shard_dir_->path(), left_ ? MetadataEntries{} : fingerprints);
}

Result<bool> Run::group_across_writers() {
  // Copies may have gone to different writers' shards: they are grouped across all of them
  // before the merge, so that the group values go into the small shards just written and the
  // merge writes them compactly, once. Grouped in the merged database, as long, they left it
  // part rewritten: 5% larger where every article has copies.
  const auto grouping = Clock::now();
  std::vector<Xapian::WritableDatabase> shards;
  for (const auto& writer : writers_) shards.push_back(writer->database());
  try {
    group_all_copies(shards, SlotReading::kStream);  // a bulk load is always local
    for (Xapian::WritableDatabase& shard : shards) shard.commit();
  } catch (const Xapian::Error& e) {
    return Error{500, "write_failed", "cannot group the copies: " + e.get_description(), {}};
  }
  log_grouping(grouping);
  return true;
}

Result<bool> Run::compact_bulk_load() {
  // One writer leaves its blocks part-filled; compacted, a new index is about 40% smaller
  // (and quicker to read) for a second or so per 10,000 articles.
  try {
    ShardDirectory work{config_.database};
    return merge_shards(config_.database, {}, work.path(), {});
  } catch (const std::exception& e) {
    return Error{500, "write_failed", std::string{"cannot compact the new database: "} + e.what(), {}};
  }
}

void Run::log_grouping(Clock::time_point started) const {
  spdlog::info("grouped copies: {} in {:.1f} s", bulk_ ? "every article" : "the articles written",
               std::chrono::duration<double>(Clock::now() - started).count());
}

MetadataEntries Run::fingerprint_entries() const {
  // A file with a rejected input is left without one, so that the next run reads it again
  // and tells its rejections again.
  MetadataEntries entries;
  for (const auto& record : reader_->records()) {
    entries.emplace_back(schema::source_metadata_key(record.source_file),
                         report_.has_file(record.file)
                             ? std::string{}
                             : encode_fingerprint(record.fingerprint, record.source_file));
  }
  return entries;
}

void Run::drop_older_copies() {
  std::vector<const ShardWriter*> all;
  for (const auto& writer : writers_) all.push_back(writer.get());
  for (std::size_t i = 0; i < writers_.size(); ++i) {
    std::vector<const ShardWriter*> others = all;
    others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
    writers_[i]->try_drop_older_copies(others);
  }
}

void Run::share_spelling() {
  // Every word added once, in the shard its hash picks, on all writers at once; compaction
  // then joins the spelling tables (summing a word that a mid-run flush put in two).
  for (const auto& writer : writers_) {
    if (writer->failed()) return;  // the run fails; its spelling does not matter
  }
  const std::size_t shards = writers_.size();
  std::vector<SpellingCounts> parts(shards);
  for (auto& writer : writers_) {
    for (auto& [word, count] : writer->take_spelling()) {
      parts[std::hash<std::string>{}(word) % shards][word] += count;
    }
  }
  std::vector<std::thread> adders;
  for (std::size_t i = 0; i < shards; ++i) {
    adders.emplace_back([this, i, &parts] {
      name_thread("clip-spell");
      writers_[i]->try_add_spelling(parts[i]);
    });
  }
  for (auto& adder : adders) adder.join();
}

/// `config` writing to its one shard, when `shards` names one.
Config one_database(const Config& config) {
  Config one = config;
  if (one.shards.size() == 1) one.database = one.shards.front();
  one.shards.clear();
  return one;
}

void Run::show_progress() {
  std::uint64_t written = 0;
  for (const auto& writer : writers_) written += writer->written();
  if (written_by_all_) {
    // Each run adds what it wrote since it last looked; the line (the first run's) shows all.
    *written_by_all_ += written - published_;
    published_ = written;
    written = written_by_all_->load();
  }
  progress_.update(snapshot(written));
}

ProgressSnapshot Run::snapshot(std::uint64_t articles) const {
  ProgressSnapshot s;
  s.articles = articles;
  // Bytes parsed, not bytes read: the reader runs ahead by the width of the queues.
  s.bytes = processed_bytes_;
  s.total_bytes = plan_.reads_stdin ? 0 : plan_.total_bytes;
  s.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  s.files = reader_->inputs_done();
  s.total_files = plan_.inputs.size();
  return s;
}

}  // namespace

std::size_t thread_count(const Config& config) {
  if (config.indexer.threads > 0) return static_cast<std::size_t>(config.indexer.threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

Result<IndexStats> run_database(const Config& config, const IndexOptions& options, const std::atomic<bool>& stop,
                                RejectionReport& report, LeftToFinish* left, ArticleCount* written_by_all) {
  return Run{config, options, stop, report, left, written_by_all}.execute();
}

int IndexStats::exit_code() const {
  if (interrupted) return kExitInterrupted;
  return rejected > 0 ? kExitRejected : kExitOk;
}

std::string IndexStats::summary() const {
  const double elapsed = seconds > 0 ? seconds : 1e-9;
  return fmt::format(
      "added {}, replaced {}, unchanged {}, rejected {}, deleted {}, skipped {}; {:.0f} articles/s, "
      "{:.1f} MB/s, {:.1f} s{}",
      added, replaced, unchanged, rejected, deleted, skipped,
      static_cast<double>(added + replaced) / elapsed, static_cast<double>(bytes) / elapsed / 1e6,
      seconds, interrupted ? " (interrupted)" : "");
}

nlohmann::json IndexStats::counts() const {
  return {{"added", added},     {"replaced", replaced}, {"unchanged", unchanged},
          {"rejected", rejected}, {"deleted", deleted},   {"skipped", skipped},
          {"bytes", bytes},     {"seconds", seconds},   {"interrupted", interrupted}};
}

Result<IndexStats> run_indexer(const Config& config, const IndexOptions& options,
                               const std::atomic<bool>& stop) {
  RejectionReport report{options.log_each_rejection};
  if (!options.rejects_path.empty()) {
    auto opened = report.write_to(options.rejects_path);
    if (!opened) return opened.error();
  }
  if (config.indexer.changesets > 0) {
    // Xapian 1.4 takes this from the environment only, and reads it at each commit; set
    // before any thread starts (setenv is not safe beside getenv on another thread).
    ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(config.indexer.changesets).c_str(), 1);
  }
  auto stats = config.shards.size() > 1 ? run_into_shards(config, options, stop, report)
                                        : run_database(one_database(config), options, stop, report);
  if (!stats) return stats;
  stats->rejected = report.count();
  report.finish();
  return stats;
}

}  // namespace clippings
