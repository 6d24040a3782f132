/// @file indexer.h
/// An indexing run: SOURCE paths in, articles in the database, counts out.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config.h"
#include "index/progress.h"
#include "index/shard_layout.h"
#include "result.h"

namespace clippings {

/// What to index, beyond the Config (database, threads, batch size, limits, language).
struct IndexOptions {
  std::vector<std::string> sources;  ///< files, directories, or "-" for JSON Lines on stdin
  std::string catalog;               ///< a catalog.csv for every text and HTML file; "" to look for one
  bool prune = false;                ///< delete articles whose source file under `sources` is gone
  bool force = false;                ///< read every file, even those unchanged since indexed
  ProgressMode progress = ProgressMode::kNone;
  bool log_each_rejection = true;    ///< a warning per rejected input (else only the summary)
  std::string rejects_path;          ///< a file listing every rejected input; "" for none
  /// The shard this run writes, of an index written into shards (`shards` in the Config:
  /// run_indexer sets it for each).
  ShardPlace place;
};

/// Exit codes of clippings-indexer.
inline constexpr int kExitOk = 0;           ///< all input indexed
inline constexpr int kExitRejected = 1;     ///< some input rejected
inline constexpr int kExitFatal = 2;        ///< nothing could be done: bad flag, config, SOURCE, database
inline constexpr int kExitInterrupted = 130;  ///< SIGINT/SIGTERM: what was complete is committed

/// The outcome of a run.
struct IndexStats {
  std::uint64_t added = 0;     ///< articles new to the database
  std::uint64_t replaced = 0;  ///< articles whose id was already there (or earlier in the input)
  std::uint64_t unchanged = 0; ///< files skipped: unchanged since they were indexed
  std::uint64_t rejected = 0;  ///< inputs that could not be indexed
  std::uint64_t deleted = 0;   ///< articles removed by --prune
  std::uint64_t skipped = 0;   ///< files of an unsupported type
  std::uint64_t bytes = 0;     ///< input bytes read
  double seconds = 0;
  bool interrupted = false;

  int exit_code() const;
  /// "added 10, replaced 2, unchanged 5, rejected 1, deleted 0, skipped 3; 812 articles/s,
  /// 5.1 MB/s, 1.5 s"
  std::string summary() const;
  /// The counts by name, and the seconds.
  nlohmann::json counts() const;
};

/// Indexes `options.sources` into `config.database`, or with two or more `config.shards`,
/// each article into the one its id places it in (index/shard_layout.h), all shards at once;
/// one shard is a database of its own. Stops reading when `stop` becomes true,
/// then commits what was complete. Bad input is logged and counted; an Error means the run
/// could not proceed (no such SOURCE, unusable catalog or database).
Result<IndexStats> run_indexer(const Config& config, const IndexOptions& options,
                               const std::atomic<bool>& stop);

}  // namespace clippings
