/// @file test_web_root.cpp
/// Where the server looks for its page: the configured directory, else the places a checkout,
/// a build tree and an installation put it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "support.h"
#include "web_root.h"

namespace clippings::http {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

void make_page(const fs::path& dir) { write_file(dir / kWebIndex, "<!doctype html>"); }

}  // namespace

TEST_CASE("web root candidates: working directory, beside bin/, build tree, system") {
  TempDir dir;
  const fs::path build = dir / "build";
  const fs::path source = dir / "src";
  fs::create_directories(build / "server");
  const auto in_build = web_root_candidates(build / "server/clippings-server", build, source);
  CHECK(in_build == std::vector<fs::path>{fs::current_path() / "web", build / "share/clippings/web",
                                          source / "web", "/usr/share/clippings/web"});
  // Installed: no source tree to fall back on.
  const auto installed = web_root_candidates("/opt/clippings/bin/clippings-server", build, source);
  CHECK(installed == std::vector<fs::path>{fs::current_path() / "web", "/opt/clippings/share/clippings/web",
                                           "/usr/share/clippings/web"});
  // A sibling directory whose name starts like the build directory's is not inside it.
  const auto beside = web_root_candidates(dir / "build2/server/clippings-server", build, source);
  CHECK(std::find(beside.begin(), beside.end(), source / "web") == beside.end());
}

TEST_CASE("web root: the first candidate holding index.html wins") {
  TempDir dir;
  fs::create_directories(dir / "empty");  // a directory without the page does not count
  make_page(dir / "second");
  make_page(dir / "third");
  auto found = resolve_web_root("", {dir / "missing", dir / "empty", dir / "second", dir / "third"});
  REQUIRE(found.ok());
  CHECK(*found == dir / "second");
}

TEST_CASE("web root: a configured directory is used as given, never replaced by a candidate") {
  TempDir dir;
  make_page(dir / "configured");
  make_page(dir / "candidate");
  auto found = resolve_web_root((dir / "configured").string(), {dir / "candidate"});
  REQUIRE(found.ok());
  CHECK(*found == dir / "configured");

  auto missing = resolve_web_root((dir / "nowhere").string(), {dir / "candidate"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().status == 2);
  CHECK(missing.error().param == "server.web_root");
  CHECK(missing.error().message.find((dir / "nowhere").string()) != std::string::npos);
}

TEST_CASE("web root: none found names every place looked at") {
  TempDir dir;
  auto none = resolve_web_root("", {dir / "a", dir / "b"});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().status == 2);
  const std::string& message = none.error().message;
  CHECK(message.find((dir / "a").string()) != std::string::npos);
  CHECK(message.find((dir / "b").string()) != std::string::npos);
  CHECK(message.find("--web") != std::string::npos);
}

}  // namespace clippings::http
