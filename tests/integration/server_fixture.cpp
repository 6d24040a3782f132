/// @file server_fixture.cpp
#include "server_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <doctest/doctest.h>

namespace clippings::test {

namespace fs = std::filesystem;

CommandResult run_indexer(const fs::path& db, const std::string& source) {
  return run_command({CLIPPINGS_INDEXER_BIN, "--db", db.string(), source});
}

void build_test_database(const fs::path& db) {
  const auto corpus = run_indexer(db, (fs::path{CLIPPINGS_TEST_DATA_DIR} / "corpus").string());
  REQUIRE_MESSAGE(corpus.exit_code == 0, corpus.err);
  if (fs::exists(CLIPPINGS_SAMPLES_DIR) && !fs::is_empty(CLIPPINGS_SAMPLES_DIR)) {
    // The samples may include deliberately broken input, which the indexer reports with exit 1.
    const auto samples = run_indexer(db, CLIPPINGS_SAMPLES_DIR);
    REQUIRE_MESSAGE((samples.exit_code == 0 || samples.exit_code == 1), samples.err);
  }
  const auto fixtures =
      run_indexer(db, (fs::path{CLIPPINGS_TEST_DATA_DIR} / "server" / "articles.jsonl").string());
  REQUIRE_MESSAGE(fixtures.exit_code == 0, fixtures.err);
}

Config test_config(const fs::path& db, const fs::path& web_root) {
  Config config = default_config();
  config.database = db.string();
  config.server.host = "127.0.0.1";
  config.server.port = 0;
  config.server.threads = 4;
  config.server.web_root = web_root.string();
  config.server.access_log = false;
  return config;
}

void write_web_root(const fs::path& root, const fs::path& outside) {
  write_file(root / "index.html", "<!doctype html><title>Clippings</title>");
  write_file(root / "js" / "app.js", "export const answer = 42;\n");
  write_file(root / "style.css", "body { margin: 0 }\n");
  write_file(root / "icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  write_file(root / ".hidden", "not for the public");
  write_file(outside / "secret.txt", "outside the web root");
  fs::create_symlink(outside / "secret.txt", root / "escape.txt");
  fs::create_directory_symlink(outside, root / "escape-dir");
}

httplib::Result raw_get(int port, const std::string& target, const httplib::Headers& headers) {
  httplib::Client client{"127.0.0.1", port};
  client.set_url_encode(false);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);
  return client.Get(target.c_str(), headers);
}

bool wait_until_healthy(int port, int tries) {
  for (int i = 0; i < tries; ++i) {
    httplib::Client client{"127.0.0.1", port};
    client.set_connection_timeout(0, 200000);
    if (auto res = client.Get("/healthz"); res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

nlohmann::json json_of(const httplib::Result& result) {
  REQUIRE(result);
  const auto parsed = nlohmann::json::parse(result->body, nullptr, false);
  REQUIRE_MESSAGE(!parsed.is_discarded(), result->body);
  return parsed;
}

nlohmann::json get_json_at(int port, const std::string& target, int status) {
  auto res = raw_get(port, target);
  REQUIRE(res);
  CAPTURE(target);
  CAPTURE(res->body);
  CHECK(res->status == status);
  CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
  return json_of(res);
}

InProcessServer::InProcessServer(Config config) : server_(std::move(config)) {
  std::string error;
  REQUIRE_MESSAGE(server_.bind(error), error);
  thread_ = std::thread{[this] { server_.listen(); }};
  REQUIRE(wait_until_healthy(server_.port()));
}

InProcessServer::~InProcessServer() {
  server_.stop();
  thread_.join();
}

ServerProcess::ServerProcess(const std::vector<std::string>& args, const fs::path& log_dir,
                             const ProcessOptions& options)
    : own_group_(options.own_group), out_(log_dir / "server.out"), err_(log_dir / "server.err") {
  std::vector<std::string> argv = {options.program.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    if (options.own_group) setpgid(0, 0);
    const int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) _exit(126);
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
}

ServerProcess::~ServerProcess() {
  if (exit_code_ < 0) stop(SIGKILL);
}

int ServerProcess::wait_exit(int tries) {
  for (int i = 0; i < tries && exit_code_ < 0; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return exit_code_;
}

int ServerProcess::stop(int signal) {
  if (exit_code_ >= 0) return exit_code_;
  const pid_t target = own_group_ ? -pid_ : pid_;
  kill(target, signal);
  if (wait_exit() < 0) {
    kill(target, SIGKILL);
    wait_exit();
  }
  return exit_code_;
}

std::string ServerProcess::log() const {
  return read_file(out_) + read_file(err_);
}

}  // namespace clippings::test
