/// @file reader.h
/// The first stage of the indexer: reads the inputs in order and cuts them into WorkItems.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <semaphore>
#include <vector>

#include "config.h"
#include "index/bounded_queue.h"
#include "index/fingerprint.h"
#include "index/pipeline.h"
#include "index/sources.h"

namespace clippings {

/// A source file read to its end (or found unchanged) in this run, and its fingerprint now.
struct SourceRecord {
  std::string file;         ///< as Rejection::file names it
  std::string source_file;  ///< absolute path: the key of its fingerprint
  Fingerprint fingerprint;
};

/// Reads files whole (text, HTML) or in chunks of complete lines (JSON Lines, stdin), checks
/// sizes before reading, attaches catalog rows, and turns read failures into rejections.
/// Skips the files whose fingerprint says they are what was indexed before.
class InputReader {
 public:
  /// `catalog` is the --catalog given on the command line, if any (it wins over found ones).
  /// `known`: the fingerprints of the files indexed before; null to read every file.
  InputReader(const Config& config, std::shared_ptr<const Catalog> catalog,
              const std::atomic<bool>& stop, const Fingerprints* known = nullptr);

  /// Bounds the items read but not yet written: one is acquired per item sent.
  using Window = std::counting_semaphore<1 << 20>;

  /// Feeds `out` with everything in `plan` (stopping early when `stop` is set); does not close it.
  void read(const SourcePlan& plan, BoundedQueue<WorkItem>& out, Window& window);

  /// Bytes read so far (for the progress line).
  std::uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  /// Inputs gone through so far, read or skipped (for the progress line).
  std::uint64_t inputs_done() const { return inputs_done_.load(std::memory_order_relaxed); }
  /// Files skipped because they are unchanged since they were indexed (after read()).
  std::uint64_t unchanged() const { return unchanged_; }
  /// The files read to their end or found unchanged, with their fingerprints (after read()).
  const std::vector<SourceRecord>& records() const { return records_; }
  /// Whether reading ended because of `stop`.
  bool interrupted() const { return interrupted_; }

 private:
  bool emit(WorkItem item, BoundedQueue<WorkItem>& out);
  bool reject(Rejection rejection, BoundedQueue<WorkItem>& out);
  void read_file(const SourceInput& input, BoundedQueue<WorkItem>& out);
  // Both return the bytes read when they read the input to its end, else nullopt; `now`
  // gets the content hash, and a file whose bytes hash as `before` (may be null) says is
  // counted unchanged and not sent on.
  std::optional<std::uint64_t> read_whole_file(const SourceInput& input, int fd,
                                               const std::optional<Metadata>& row,
                                               Fingerprint& now, const Fingerprint* before,
                                               BoundedQueue<WorkItem>& out);
  std::optional<std::uint64_t> read_lines(const SourceInput& input, int fd, ContentHash* hash,
                                          BoundedQueue<WorkItem>& out);
  std::optional<Metadata> catalog_row(const SourceInput& input, BoundedQueue<WorkItem>& out);
  const Catalog* catalog_in(const std::filesystem::path& dir, BoundedQueue<WorkItem>& out);
  std::string settings_hash(const SourceInput& input, const std::optional<Metadata>& row) const;
  /// Each row a catalog left out, as a rejection "catalog.csv:line: reason".
  void reject_bad_rows(const Catalog& catalog, BoundedQueue<WorkItem>& out);
  bool stopping();

  const Config& config_;
  std::shared_ptr<const Catalog> given_catalog_;
  const std::atomic<bool>& stop_;
  const Fingerprints* known_;
  std::string extraction_settings_;
  std::map<std::filesystem::path, std::unique_ptr<Catalog>> catalogs_;  ///< by directory
  std::atomic<std::uint64_t> bytes_read_{0};
  std::atomic<std::uint64_t> inputs_done_{0};
  std::uint64_t unchanged_ = 0;
  std::vector<SourceRecord> records_;
  Window* window_ = nullptr;
  std::uint64_t next_seq_ = 0;
  bool interrupted_ = false;
};

/// The absolute, normalised form of a path: what kSlotSource stores and --prune compares.
std::string absolute_source_path(const std::filesystem::path& path);

}  // namespace clippings
