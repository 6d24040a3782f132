/// @file progress.cpp
#include "index/progress.h"

#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace clippings {
namespace {

struct Rates {
  double articles_per_second = 0;
  double bytes_per_second = 0;
};

Rates rates_of(const ProgressSnapshot& s) {
  const double seconds = s.seconds > 0 ? s.seconds : 1e-9;
  return {static_cast<double>(s.articles) / seconds, static_cast<double>(s.bytes) / seconds};
}

/// "  62%  ETA 0:21" with `separator` before each part; "" when the total is unknown.
std::string share_and_eta(const ProgressSnapshot& s, double byte_rate, std::string_view separator) {
  if (s.total_bytes == 0 || s.bytes > s.total_bytes) return "";
  const double share = static_cast<double>(s.bytes) / static_cast<double>(s.total_bytes);
  std::string text = fmt::format("{}{:.0f}%", separator, 100.0 * share);
  if (byte_rate > 0) {
    const auto eta = static_cast<long>(static_cast<double>(s.total_bytes - s.bytes) / byte_rate);
    text += fmt::format("{}ETA {}:{:02}", separator, eta / 60, eta % 60);
  }
  return text;
}

}  // namespace

std::string format_progress(const ProgressSnapshot& s) {
  const Rates rates = rates_of(s);
  return fmt::format("{} articles  {:.0f}/s  {:.1f} MB/s{}", s.articles, rates.articles_per_second,
                     rates.bytes_per_second / 1e6, share_and_eta(s, rates.bytes_per_second, "  "));
}

std::string format_progress_log(const ProgressSnapshot& s) {
  const Rates rates = rates_of(s);
  return fmt::format("indexing: {} of {} files, {} articles, {:.0f} articles/s, {:.1f} MB/s{}",
                     s.files, s.total_files, s.articles, rates.articles_per_second,
                     rates.bytes_per_second / 1e6, share_and_eta(s, rates.bytes_per_second, ", "));
}

void ProgressLine::update(const ProgressSnapshot& snapshot, Clock::time_point now) {
  switch (mode_) {
    case ProgressMode::kNone:
      return;
    case ProgressMode::kTerminal:
      if (shown_ && now - last_ < kTerminalInterval) return;
      // \033[K erases what a longer previous line left behind.
      std::fprintf(stderr, "\r%s\033[K", format_progress(snapshot).c_str());
      std::fflush(stderr);
      shown_ = true;
      break;
    case ProgressMode::kLog:
      if (now - last_ < kLogInterval) return;
      spdlog::info("{}", format_progress_log(snapshot));
      break;
  }
  last_ = now;
}

void ProgressLine::clear() {
  if (mode_ != ProgressMode::kTerminal || !shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace clippings
