/// @file support.h
/// Test helpers: private temporary directories, running programs, free ports.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace clippings::test {

/// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Writes `content` to `path`, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& content);
std::string read_file(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;  ///< the exit status, or 128 + signal number
  std::string out;
  std::string err;
};

/// Runs `argv` to completion with `input` on stdin; kills it after `timeout_seconds`.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                          int timeout_seconds = 120);

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace clippings::test
