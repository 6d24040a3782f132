/// @file test_demo_script.cpp
/// scripts/demo.sh's arguments. Run with an empty PATH: whatever gets past the argument check
/// fails at its first program instead of installing or building anything.
#include <doctest/doctest.h>

#include "support.h"

namespace clippings::test {
namespace {

const std::string kDemo = std::string{CLIPPINGS_SOURCE_DIR} + "/scripts/demo.sh";

CommandResult demo(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/env", "-i", "PATH=/nonexistent", "/bin/bash", kDemo};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, "", 30);
}

}  // namespace

TEST_CASE("demo.sh --help shows the options and exits 0") {
  const auto help = demo({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Usage: scripts/demo.sh [--port N]") == 0);
  CHECK(help.out.find("--port N") != std::string::npos);
}

TEST_CASE("demo.sh rejects a bad port or argument with status 2 and a message") {
  const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"--port"}, "--port needs a port number"},
      {{"--port", "abc"}, "--port abc: expected a port number from 1 to 65535"},
      {{"--port", "0"}, "--port 0: expected"},
      {{"--port", "65536"}, "--port 65536: expected"},
      {{"--port=-1"}, "--port -1: expected"},
      {{"--port", "8080x"}, "--port 8080x: expected"},
      {{"--verbose"}, "unknown argument --verbose"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    const auto result = demo(c.args);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(c.message) != std::string::npos);
    CHECK(result.out.empty());
  }
}

TEST_CASE("demo.sh accepts a valid port and goes on to set up") {
  for (const char* port : {"1", "8090", "65535"}) {
    CAPTURE(port);
    const auto result = demo({"--port", port});
    // Past the arguments, the empty PATH stops it at its first program (127, command not found).
    CHECK(result.exit_code == 127);
    CHECK(result.err.find("expected a port number") == std::string::npos);
  }
}

}  // namespace clippings::test
