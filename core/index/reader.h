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

#include "config.h"
#include "index/bounded_queue.h"
#include "index/pipeline.h"
#include "index/sources.h"

namespace clippings {

/// Reads files whole (text, HTML) or in chunks of complete lines (JSON Lines, stdin), checks
/// sizes before reading, attaches catalog rows, and turns read failures into rejections.
class InputReader {
 public:
  /// `catalog` is the --catalog given on the command line, if any (it wins over found ones).
  InputReader(const Config& config, std::shared_ptr<const Catalog> catalog,
              const std::atomic<bool>& stop);

  /// Bounds the items read but not yet written: one is acquired per item sent.
  using Window = std::counting_semaphore<1 << 20>;

  /// Feeds `out` with everything in `plan` (stopping early when `stop` is set); does not close it.
  void read(const SourcePlan& plan, BoundedQueue<WorkItem>& out, Window& window);

  /// Bytes read so far (for the progress line).
  std::uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  /// Whether reading ended because of `stop`.
  bool interrupted() const { return interrupted_; }

 private:
  bool emit(WorkItem item, BoundedQueue<WorkItem>& out);
  bool reject(const std::string& location, const std::string& reason, BoundedQueue<WorkItem>& out);
  void read_whole_file(const SourceInput& input, BoundedQueue<WorkItem>& out);
  void read_lines(const SourceInput& input, BoundedQueue<WorkItem>& out);
  std::optional<Metadata> catalog_row(const SourceInput& input, BoundedQueue<WorkItem>& out);
  const Catalog* catalog_in(const std::filesystem::path& dir, BoundedQueue<WorkItem>& out);
  /// Each row a catalog left out, as a rejection "catalog.csv:line: reason".
  void reject_bad_rows(const Catalog& catalog, BoundedQueue<WorkItem>& out);
  bool stopping();

  const Config& config_;
  std::shared_ptr<const Catalog> given_catalog_;
  const std::atomic<bool>& stop_;
  std::map<std::filesystem::path, std::unique_ptr<Catalog>> catalogs_;  ///< by directory
  std::atomic<std::uint64_t> bytes_read_{0};
  Window* window_ = nullptr;
  std::uint64_t next_seq_ = 0;
  bool interrupted_ = false;
};

/// The absolute, normalised form of a path: what kSlotSource stores and --prune compares.
std::string absolute_source_path(const std::filesystem::path& path);

}  // namespace clippings
