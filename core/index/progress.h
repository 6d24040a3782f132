/// @file progress.h
/// The progress line the indexer redraws on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace clippings {

/// One snapshot of a run in progress.
struct ProgressSnapshot {
  std::uint64_t articles = 0;
  std::uint64_t bytes = 0;
  std::uint64_t total_bytes = 0;  ///< 0 when unknown (stdin)
  double seconds = 0;
};

/// "12,345 articles  1,180/s  7.9 MB/s  62%  ETA 0:21"
std::string format_progress(const ProgressSnapshot& snapshot);

/// Redraws one line on stderr with '\r', at most every `interval`; disabled does nothing.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  /// Redraws if the interval has passed.
  void update(const ProgressSnapshot& snapshot);
  /// Erases the line (before a log message, and at the end).
  void clear();

 private:
  static constexpr std::chrono::milliseconds kInterval{250};
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace clippings
