/// @file progress.cpp
#include "index/progress.h"

#include <cstdio>

#include <fmt/format.h>

namespace clippings {

std::string format_progress(const ProgressSnapshot& s) {
  const double seconds = s.seconds > 0 ? s.seconds : 1e-9;
  const double rate = static_cast<double>(s.articles) / seconds;
  const double byte_rate = static_cast<double>(s.bytes) / seconds;
  std::string line = fmt::format("{} articles  {:.0f}/s  {:.1f} MB/s", s.articles, rate,
                                 byte_rate / 1e6);
  if (s.total_bytes > 0 && s.bytes <= s.total_bytes) {
    line += fmt::format("  {:.0f}%", 100.0 * static_cast<double>(s.bytes) /
                                         static_cast<double>(s.total_bytes));
    if (byte_rate > 0) {
      const auto eta = static_cast<long>(static_cast<double>(s.total_bytes - s.bytes) / byte_rate);
      line += fmt::format("  ETA {}:{:02}", eta / 60, eta % 60);
    }
  }
  return line;
}

void ProgressLine::update(const ProgressSnapshot& snapshot) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < kInterval) return;
  last_ = now;
  // \033[K erases what a longer previous line left behind.
  std::fprintf(stderr, "\r%s\033[K", format_progress(snapshot).c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::clear() {
  if (!enabled_ || !shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace clippings
