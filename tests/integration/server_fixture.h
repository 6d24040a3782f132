/// @file server_fixture.h
/// Servers for the integration tests: a database built by the real indexer, an in-process
/// server on a thread, and the real clippings-server binary as a child process.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "config.h"
#include "http_server.h"
#include "support.h"

namespace clippings::test {

/// Runs clippings-indexer over `source` into `db`.
CommandResult run_indexer(const std::filesystem::path& db, const std::string& source);

/// Indexes the test corpus (tests/data/corpus), the project samples and tests/data/server into
/// `db` (fails the test if the indexer does not succeed on the corpus and fixtures).
void build_test_database(const std::filesystem::path& db);

/// Settings for a test server: 127.0.0.1, a port chosen at bind time, no access log.
Config test_config(const std::filesystem::path& db, const std::filesystem::path& web_root);

/// A few files for a web root, plus a symlink that points outside it.
void write_web_root(const std::filesystem::path& root, const std::filesystem::path& outside);

/// GETs `target` as given (already percent-encoded): nothing is re-encoded.
httplib::Result raw_get(int port, const std::string& target, const httplib::Headers& headers = {});

/// Polls GET /healthz until it answers 200, at most `tries` times, 50 ms apart.
bool wait_until_healthy(int port, int tries = 200);

/// The JSON body of a response (fails the test if it does not parse).
nlohmann::json json_of(const httplib::Result& result);

/// GETs `target` and returns its JSON body, checking the status and the JSON content type.
nlohmann::json get_json_at(int port, const std::string& target, int status = 200);

/// An HttpServer listening on a thread of this process.
class InProcessServer {
 public:
  explicit InProcessServer(Config config);
  ~InProcessServer();
  int port() const { return server_.port(); }
  http::HttpServer& server() { return server_; }

 private:
  http::HttpServer server_;
  std::thread thread_;
};

/// How to start a server process other than the default: another binary (an installed
/// copy) or another working directory (empty: this process's).
struct ProcessOptions {
  std::filesystem::path program = CLIPPINGS_SERVER_BIN;
  std::filesystem::path working_dir;
  /// In a process group of its own, which stop() signals whole: a server that forks a child
  /// for each connection (xapian-tcpsrv) is stopped with its children.
  bool own_group = false;
};

/// The real clippings-server binary, started with `args`, its output sent to files.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& args, const std::filesystem::path& log_dir,
                const ProcessOptions& options = {});
  ~ServerProcess();
  /// Sends `signal` and waits (bounded) for the exit status; 128 + signal if it had to be killed.
  int stop(int signal);
  /// Waits (bounded) for the process to exit by itself; -1 if it is still running.
  int wait_exit(int tries = 200);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  bool own_group_ = false;
  int exit_code_ = -1;
  std::filesystem::path out_, err_;
};

}  // namespace clippings::test
