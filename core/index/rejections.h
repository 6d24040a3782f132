/// @file rejections.h
/// Where the rejected inputs of a run are told: a warning each, a file listing them all, and
/// a summary by reason at the end.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "index/pipeline.h"
#include "result.h"

namespace clippings {

/// The header line of a rejects file; then one line per rejected input, in this order.
inline constexpr std::string_view kRejectsHeader = "path\tline\tcode\treason";

/// One line of a rejects file (without its newline): the path, the line number (empty for a
/// whole file), the code and the reason, separated by tabs; a backslash, tab, newline or
/// carriage return inside a field is written \\, \t, \n or \r.
std::string rejects_line(const Rejection& rejection);

/// Counts the rejections of a run by code and tells them. add(), count() and has_file() may be
/// called from several threads (the runs of an index written into shards share one report).
class RejectionReport {
 public:
  /// Locations shown per code in the summary.
  static constexpr std::size_t kExamples = 3;

  /// `log_each`: a warning per rejection ("path:line: reason") as it comes.
  explicit RejectionReport(bool log_each) : log_each_(log_each) {}

  /// Writes every rejection to `path` as well (kRejectsHeader, then rejects_line() each),
  /// replacing the file; an Error when it cannot be created.
  Result<bool> write_to(const std::string& path);

  void add(const Rejection& rejection);
  /// A fault of an input that was indexed all the same (Rejection::warning): logged as add()
  /// would, but neither counted nor written to the rejects file.
  void note(const Rejection& warning) const;

  /// Closes the rejects file, then logs warnings that sum the rejections up by code, most
  /// frequent first, each with its first few locations and reasons (none when none).
  void finish();

  std::uint64_t count() const;
  /// Whether an input of this file (Rejection::file) was rejected.
  bool has_file(const std::string& file) const;

 private:
  struct Reason {
    std::uint64_t count = 0;
    std::vector<std::string> examples;  ///< "path:line: reason", the first kExamples
  };

  bool log_each_;
  mutable std::mutex mutex_;  ///< over everything below
  std::ofstream file_;
  std::string file_path_;
  std::uint64_t count_ = 0;
  std::map<std::string, Reason> by_code_;
  std::set<std::string> files_;
};

}  // namespace clippings
