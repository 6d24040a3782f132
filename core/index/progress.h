/// @file progress.h
/// How a run in progress shows: a line redrawn on a terminal, or a log line every few seconds
/// (a container's log, a file, a pipe).
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
  std::uint64_t files = 0;        ///< input files read or found unchanged
  std::uint64_t total_files = 0;  ///< input files to go through (stdin counts as one)
};

/// "12,345 articles  1,180/s  7.9 MB/s  62%  ETA 0:21"
std::string format_progress(const ProgressSnapshot& snapshot);
/// "indexing: 120 of 3000 files, 12345 articles, 1180 articles/s, 7.9 MB/s, 62%, ETA 0:21"
std::string format_progress_log(const ProgressSnapshot& snapshot);

enum class ProgressMode {
  kNone,
  kTerminal,  ///< one line on stderr, redrawn with '\r'
  kLog,       ///< an info log line every kLogInterval
};

/// Shows progress as its mode says; kNone does nothing.
class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kTerminalInterval{250};
  static constexpr std::chrono::seconds kLogInterval{5};

  /// The first log line comes kLogInterval after `start`.
  explicit ProgressLine(ProgressMode mode, Clock::time_point start = Clock::now())
      : mode_(mode), last_(start) {}
  /// Redraws or logs if the interval has passed since the last time.
  void update(const ProgressSnapshot& snapshot, Clock::time_point now = Clock::now());
  /// Erases the terminal line (before a log message, and at the end).
  void clear();

 private:
  ProgressMode mode_;
  bool shown_ = false;  ///< the terminal line is on screen
  Clock::time_point last_;
};

}  // namespace clippings
