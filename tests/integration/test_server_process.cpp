/// @file test_server_process.cpp
/// The real clippings-server binary: start-up, logs, shutdown on signals, start-up failures,
/// a missing database, and articles indexed while it runs.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <sstream>

#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> server_args(const fs::path& db, int port,
                                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--db", db.string(), "--host", "127.0.0.1",
                                   "--port", std::to_string(port), "--threads", "2",
                                   "--web", (fs::path{CLIPPINGS_SOURCE_DIR} / "web").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

int total_for(int port, const std::string& q) {
  auto res = raw_get(port, "/api/search?q=" + q);
  if (!res || res->status != 200) return -1;
  return json_of(res)["total"].get<int>();
}

}  // namespace

TEST_CASE("the binary serves, logs each request and stops cleanly on SIGTERM") {
  TempDir dir;
  build_test_database(dir / "db");
  const int port = free_port();
  ServerProcess server{server_args(dir / "db", port), dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), server.log());
  CHECK(total_for(port, "quillon") == 6);
  auto page = raw_get(port, "/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  auto res = raw_get(port, "/api/stats", {{"X-Request-Id", "probe-42"}});
  REQUIRE(res);
  CHECK(server.stop(SIGTERM) == 0);
  const std::string log = server.log();
  CHECK(log.find("effective configuration") != std::string::npos);
  CHECK(log.find("GET /api/stats 200") != std::string::npos);
  CHECK(log.find("id=probe-42") != std::string::npos);
  CHECK(log.find("shutting down") != std::string::npos);
}

TEST_CASE("SIGINT also stops the binary cleanly") {
  TempDir dir;
  const int port = free_port();
  ServerProcess server{server_args(dir / "missing-db", port), dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), server.log());
  CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("a missing database: healthy but not ready, searches answer 503") {
  TempDir dir;
  const int port = free_port();
  ServerProcess server{server_args(dir / "no-such-db", port), dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), server.log());
  auto ready = raw_get(port, "/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 503);
  CHECK(json_of(ready)["error"]["code"] == "not_ready");
  for (const char* target : {"/api/search?q=x", "/api/stats", "/api/articles/x",
                             "/api/search.csv", "/api/search.atom"}) {
    CAPTURE(target);
    auto res = raw_get(port, target);
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(json_of(res)["error"]["code"] == "not_ready");
    // The same message from every route, whichever layer noticed.
    CHECK(json_of(res)["error"]["message"] == json_of(ready)["error"]["message"]);
  }
  const std::string message = json_of(ready)["error"]["message"];
  CHECK(message.starts_with("the search index is not ready: no database at "));
  CHECK(message.ends_with(": run clippings-indexer first"));
  auto metrics = raw_get(port, "/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(server.stop(SIGTERM) == 0);
  CHECK(server.log().find("not ready") != std::string::npos);
}

TEST_CASE("a port in use: a clear error and exit status 2") {
  TempDir dir;
  const int blocker = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  REQUIRE(bind(blocker, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(blocker, 1) == 0);
  REQUIRE(getsockname(blocker, reinterpret_cast<sockaddr*>(&addr), &length) == 0);
  const int port = ntohs(addr.sin_port);
  ServerProcess server{server_args(dir / "db", port), dir.path()};
  CHECK(server.wait_exit() == 2);
  CHECK(server.log().find("cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
  close(blocker);
}

TEST_CASE("a second server cannot take the port of a running one") {
  TempDir dir;
  const int port = free_port();
  ServerProcess first{server_args(dir / "missing-db", port), dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), first.log());
  ServerProcess second{server_args(dir / "missing-db", port), dir.path()};
  CHECK(second.wait_exit() == 2);
  CHECK(second.log().find("cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
  CHECK(first.stop(SIGTERM) == 0);
}

TEST_CASE("bad configuration exits with status 2") {
  TempDir dir;
  write_file(dir / "config.yaml", "server:\n  port: http\n");
  ServerProcess bad_file{{"--config", (dir / "config.yaml").string()}, dir.path()};
  CHECK(bad_file.wait_exit() == 2);
  CHECK(bad_file.log().find("server.port") != std::string::npos);
  ServerProcess bad_flag{{"--log-format", "xml"}, dir.path()};
  CHECK(bad_flag.wait_exit() == 2);
}

TEST_CASE("JSON logs are one JSON object per line") {
  TempDir dir;
  const int port = free_port();
  ServerProcess server{server_args(dir / "missing-db", port, {"--log-format", "json"}), dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), server.log());
  raw_get(port, "/api/search?q=%22quoted%22%5Cback");
  CHECK(server.stop(SIGTERM) == 0);
  std::istringstream lines{read_file(dir / "server.err")};
  int parsed = 0;
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    const json entry = json::parse(line, nullptr, false);
    REQUIRE_FALSE(entry.is_discarded());
    CHECK(entry.contains("time"));
    CHECK(entry.contains("level"));
    CHECK(entry["message"].is_string());
    ++parsed;
  }
  CHECK(parsed >= 3);
}

TEST_CASE("articles indexed while the server runs appear without a restart") {
  TempDir dir;
  build_test_database(dir / "db");
  const int port = free_port();
  ServerProcess server{server_args(dir / "db", port), dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), server.log());
  CHECK(total_for(port, "zephyrine") == 0);
  const auto indexed = run_indexer(
      dir / "db", (fs::path{CLIPPINGS_TEST_DATA_DIR} / "server" / "late_article.jsonl").string());
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  int total = 0;
  for (int attempt = 0; attempt < 100 && total != 1; ++attempt) {
    total = total_for(port, "zephyrine");
    if (total != 1) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(total == 1);
  auto article = raw_get(port, "/api/articles/fx-late-1");
  REQUIRE(article);
  CHECK(article->status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

}  // namespace clippings::test
