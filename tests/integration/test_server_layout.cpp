/// @file test_server_layout.cpp
/// The real clippings-server finds its page from any working directory, in the build tree and
/// in the layout `cmake --install` makes, refuses to start without one, and tells its version.
#include <doctest/doctest.h>

#include <signal.h>

#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceWeb = fs::path{CLIPPINGS_SOURCE_DIR} / "web";

/// Starts `options.program` on a free port over no database, from `options.working_dir`, and
/// returns the body of GET / (fails the test when the server does not come up or "/" is no page).
std::string page_served(const TempDir& dir, const ProcessOptions& options) {
  const int port = free_port();
  ServerProcess server{{"--port", std::to_string(port), "--db", (dir / "no-db").string()},
                       dir.path(), options};
  REQUIRE_MESSAGE(wait_until_healthy(port), server.log());
  auto page = raw_get(port, "/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(server.stop(SIGTERM) == 0);
  return page->body;
}

}  // namespace

TEST_CASE("started from another working directory, the server serves its page") {
  TempDir dir;  // no web/ and no config.yaml here
  CHECK(page_served(dir, {.working_dir = dir.path()}) == read_file(kSourceWeb / "index.html"));
}

TEST_CASE("a web root that does not exist stops the start with status 2 naming it") {
  TempDir dir;
  ServerProcess server{{"--port", std::to_string(free_port()), "--web", (dir / "nowhere").string()},
                       dir.path()};
  CHECK(server.wait_exit() == 2);
  CHECK(server.log().find((dir / "nowhere").string()) != std::string::npos);

  // Set in a config file, the same.
  write_file(dir / "config.yaml", "server:\n  web_root: " + (dir / "elsewhere").string() + "\n");
  ServerProcess configured{{"--config", (dir / "config.yaml").string()}, dir.path()};
  CHECK(configured.wait_exit() == 2);
  CHECK(configured.log().find("server.web_root") != std::string::npos);
  CHECK(configured.log().find((dir / "elsewhere").string()) != std::string::npos);
}

TEST_CASE("cmake --install gives programs that find their page and configuration") {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  auto installed = run_command({CLIPPINGS_CMAKE, "--install", CLIPPINGS_BUILD_DIR, "--prefix",
                                prefix.string()});
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));
  for (const char* file : {"bin/clippings-indexer", "bin/clippings-server",
                           "share/clippings/web/index.html", "share/clippings/web/js/api.js",
                           "etc/clippings/config.yaml"}) {
    CAPTURE(file);
    CHECK(fs::is_regular_file(prefix / file));
  }
  fs::create_directories(dir / "elsewhere");
  // The installed page is served, not the source tree's: change the installed copy to tell.
  write_file(prefix / "share/clippings/web/index.html", "<!doctype html><title>installed</title>");
  const ProcessOptions options{.program = prefix / "bin/clippings-server",
                               .working_dir = dir / "elsewhere"};
  CHECK(page_served(dir, options) == "<!doctype html><title>installed</title>");
  // The installed configuration is valid as it is.
  const int port = free_port();
  ServerProcess configured{{"--config", (prefix / "etc/clippings/config.yaml").string(), "--port",
                            std::to_string(port), "--db", (dir / "no-db").string()},
                           dir.path(), options};
  REQUIRE_MESSAGE(wait_until_healthy(port), configured.log());
  CHECK(configured.stop(SIGTERM) == 0);
}

TEST_CASE("a server with no page anywhere stops at start with status 2 saying where it looked") {
  if (fs::exists("/usr/share/clippings/web/index.html")) {
    MESSAGE("skipped: this machine has a page in /usr/share/clippings/web");
    return;
  }
  TempDir dir;
  fs::create_directories(dir / "bin");
  fs::copy_file(CLIPPINGS_SERVER_BIN, dir / "bin/clippings-server");
  fs::permissions(dir / "bin/clippings-server", fs::perms::owner_exec, fs::perm_options::add);
  ServerProcess server{{"--port", std::to_string(free_port())}, dir.path(),
                       {.program = dir / "bin/clippings-server", .working_dir = dir.path()}};
  CHECK(server.wait_exit() == 2);
  const std::string log = server.log();
  CAPTURE(log);
  for (const fs::path& looked : {dir / "web", dir / "share/clippings/web",
                                 fs::path{"/usr/share/clippings/web"}}) {
    CHECK(log.find(looked.string()) != std::string::npos);
  }
}

TEST_CASE("both programs tell their version") {
  for (const char* program : {CLIPPINGS_SERVER_BIN, CLIPPINGS_INDEXER_BIN}) {
    auto version = run_command({program, "--version"});
    CAPTURE(version.err);
    CHECK(version.exit_code == 0);
    CHECK(version.out == fs::path{program}.filename().string() + " " + CLIPPINGS_VERSION + "\n");
  }
}

}  // namespace clippings::test
