/// @file rejections.cpp
#include "index/rejections.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

namespace clippings {
namespace {

void append_escaped(std::string& out, std::string_view field) {
  for (const char c : field) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

}  // namespace

std::string rejects_line(const Rejection& r) {
  std::string line;
  append_escaped(line, r.file);
  line += '\t';
  if (r.line > 0) line += std::to_string(r.line);
  line += '\t';
  append_escaped(line, r.code);
  line += '\t';
  append_escaped(line, r.reason);
  return line;
}

Result<bool> RejectionReport::write_to(const std::string& path) {
  file_.open(path, std::ios::out | std::ios::trunc | std::ios::binary);
  if (file_) file_ << kRejectsHeader << '\n' << std::flush;
  if (!file_) {
    return Error{400, "rejects_unwritable",
                 "--rejects " + path + ": cannot write: " + std::strerror(errno), "--rejects"};
  }
  file_path_ = path;
  return true;
}

void RejectionReport::add(const Rejection& rejection) {
  const std::lock_guard lock{mutex_};
  ++count_;
  files_.insert(rejection.file);
  const std::string told = rejection.location() + ": " + rejection.reason;
  if (log_each_) spdlog::warn("{}", told);
  Reason& reason = by_code_[rejection.code];
  ++reason.count;
  if (reason.examples.size() < kExamples) reason.examples.push_back(told);
  if (file_.is_open()) {
    file_ << rejects_line(rejection) << '\n';
    if (!file_) {
      spdlog::error("--rejects {}: cannot write: {}; the rest of the rejections are not in it",
                    file_path_, std::strerror(errno));
      file_.close();
    }
  }
}

std::uint64_t RejectionReport::count() const {
  const std::lock_guard lock{mutex_};
  return count_;
}

bool RejectionReport::has_file(const std::string& file) const {
  const std::lock_guard lock{mutex_};
  return files_.count(file) > 0;
}

void RejectionReport::note(const Rejection& warning) const {
  if (log_each_) spdlog::warn("{}: {}", warning.location(), warning.reason);
}

void RejectionReport::finish() {
  const std::lock_guard lock{mutex_};
  if (file_.is_open()) {
    file_.close();
    if (!file_) spdlog::error("--rejects {}: cannot write: {}", file_path_, std::strerror(errno));
  }
  if (count_ == 0) return;
  std::vector<std::pair<std::string, const Reason*>> reasons;
  for (const auto& [code, reason] : by_code_) reasons.emplace_back(code, &reason);
  std::stable_sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
    return a.second->count > b.second->count;
  });
  spdlog::warn("{} input(s) rejected, by reason{}:", count_,
               file_path_.empty() ? "" : " (all of them in " + file_path_ + ")");
  for (const auto& [code, reason] : reasons) {
    spdlog::warn("  {}: {}", code, reason->count);
    for (const auto& example : reason->examples) spdlog::warn("    {}", example);
  }
}

}  // namespace clippings
