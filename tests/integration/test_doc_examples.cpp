/// @file test_doc_examples.cpp
/// Every curl command in README.md and docs/*.md, run as printed against a server over the
/// demo database (samples/ indexed by the real indexer as scripts/demo.sh does it), on a free
/// port instead of 8080. Each must succeed, and each search must find something. A command
/// that shows an error on purpose ends with the status it expects as a comment: `# status 400`.
#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSource = CLIPPINGS_SOURCE_DIR;

struct Example {
  std::string where;    ///< file:line
  std::string command;  ///< as printed, continuation lines joined
  int expected_status = 0;  ///< 0: any 2xx
};

/// The curl commands in the shell code blocks of one Markdown file.
std::vector<Example> examples_in(const fs::path& file) {
  static const std::regex kStatusComment{R"(#\s*status\s+(\d{3})\s*$)"};
  std::vector<Example> examples;
  std::ifstream in{file};
  bool in_code = false;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const auto text = line.substr(std::min(line.find_first_not_of(' '), line.size()));
    if (text.starts_with("```")) {
      in_code = !in_code;
      continue;
    }
    if (!in_code || !text.starts_with("curl ")) continue;
    Example example{fs::relative(file, kSource).string() + ":" + std::to_string(number), text};
    while (example.command.ends_with("\\") && std::getline(in, line)) {
      ++number;
      example.command.pop_back();
      example.command += line;
    }
    std::smatch status;
    if (std::regex_search(example.command, status, kStatusComment)) {
      example.expected_status = std::stoi(status[1]);
    }
    examples.push_back(example);
  }
  return examples;
}

std::vector<Example> documented_examples() {
  std::vector<fs::path> files{kSource / "README.md"};
  std::vector<fs::path> docs;
  for (const auto& entry : fs::directory_iterator{kSource / "docs"}) {
    if (entry.path().extension() == ".md") docs.push_back(entry.path());
  }
  std::sort(docs.begin(), docs.end());
  files.insert(files.end(), docs.begin(), docs.end());
  std::vector<Example> examples;
  for (const auto& file : files) {
    for (auto& example : examples_in(file)) examples.push_back(std::move(example));
  }
  return examples;
}

/// The demo: samples/ indexed and served with the commands and config of scripts/demo.sh.
struct Demo {
  TempDir dir;
  int port = free_port();
  std::unique_ptr<ServerProcess> server;
  Demo() {
    const std::string db = (dir / "clippings.db").string();
    const auto indexed = run_command({"/bin/sh", "-c",
                                      "cd \"$0\" && exec \"$1\" --config config.yaml --db \"$2\" --prune samples",
                                      kSource.string(), CLIPPINGS_INDEXER_BIN, db});
    // As in demo.sh, 1 (some input rejected on purpose) is a success.
    REQUIRE_MESSAGE((indexed.exit_code == 0 || indexed.exit_code == 1), indexed.err);
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", "config.yaml", "--db", db, "--web", "web", "--port",
                                 std::to_string(port)},
        dir.path(), ProcessOptions{.working_dir = kSource});
    REQUIRE_MESSAGE(wait_until_healthy(port), server->log());
  }
  ~Demo() { server->stop(SIGTERM); }
};

struct Outcome {
  int curl_exit = -1;
  int status = 0;
  std::string body;
  std::string error;
};

/// Runs `command` through bash in an empty directory, curl reporting the status; the body is
/// what curl printed (without headers, for -i) or the file it saved (-O).
Outcome run_example(const std::string& command, int port) {
  TempDir cwd;
  const std::string script =
      "curl() { command curl --silent --show-error --max-time 20 --write-out '\\n%{http_code}' \"$@\"; }\n"
      "cd \"$0\"\n" +
      std::regex_replace(command, std::regex{R"((127\.0\.0\.1|localhost):8080)"},
                         "127.0.0.1:" + std::to_string(port));
  const auto run = run_command({"/bin/bash", "-c", script, cwd.path().string()}, "", 60);
  Outcome outcome{run.exit_code, 0, run.out, run.err};
  if (const auto last = outcome.body.rfind('\n'); last != std::string::npos) {
    outcome.status = std::atoi(outcome.body.c_str() + last + 1);
    outcome.body.resize(last);
  }
  if (outcome.body.starts_with("HTTP/")) {
    const auto end = outcome.body.find("\r\n\r\n");
    outcome.body = end == std::string::npos ? "" : outcome.body.substr(end + 4);
  }
  for (const auto& file : fs::directory_iterator{cwd.path()}) {
    if (outcome.body.empty()) outcome.body = read_file(file.path());
  }
  return outcome;
}

/// The path of the first URL in a command.
std::string path_of(const std::string& command) {
  std::smatch url;
  if (!std::regex_search(command, url, std::regex{R"(https?://[^/\s'"]+(/[^?\s'"]*))"})) return "";
  return url[1];
}

/// For a search, the number of hits the response shows; -1 for anything else.
long hits_shown(const std::string& path, const std::string& body) {
  if (path == "/api/search" || path.ends_with("/similar")) {
    const json parsed = json::parse(body, nullptr, false);
    return parsed.is_discarded() || !parsed.contains("hits") ? 0 : static_cast<long>(parsed["hits"].size());
  }
  if (path == "/api/search.csv") return std::max(0L, static_cast<long>(std::count(body.begin(), body.end(), '\n')) - 1);
  if (path == "/api/search.jsonl") return static_cast<long>(std::count(body.begin(), body.end(), '\n'));
  if (path == "/api/search.atom") {
    long entries = 0;
    for (auto at = body.find("<entry>"); at != std::string::npos; at = body.find("<entry>", at + 1)) ++entries;
    return entries;
  }
  return -1;
}

}  // namespace

TEST_CASE("the curl examples of README.md and docs/*.md work on the demo data as printed") {
  const auto examples = documented_examples();
  // The guard must guard something: the README's own example and the API reference's.
  REQUIRE(std::any_of(examples.begin(), examples.end(),
                      [](const Example& e) { return e.where.starts_with("README.md:"); }));
  REQUIRE(std::count_if(examples.begin(), examples.end(),
                        [](const Example& e) { return e.where.starts_with("docs/API.md:"); }) >= 5);
  Demo demo;
  for (const auto& example : examples) {
    CAPTURE(example.where);
    CAPTURE(example.command);
    const Outcome outcome = run_example(example.command, demo.port);
    CAPTURE(outcome.error);
    CAPTURE(outcome.body.substr(0, 500));
    CHECK(outcome.curl_exit == 0);
    if (example.expected_status) {
      CHECK(outcome.status == example.expected_status);
      continue;
    }
    CHECK(outcome.status >= 200);
    CHECK(outcome.status < 300);
    const std::string path = path_of(example.command);
    if (path == "/api/search.jsonl") {
      std::istringstream lines{outcome.body};
      for (std::string line; std::getline(lines, line);) {
        CHECK_FALSE(json::parse(line, nullptr, false).is_discarded());
      }
    } else if (path.starts_with("/api/") && path != "/api/search.csv" && path != "/api/search.atom") {
      CHECK_FALSE(json::parse(outcome.body, nullptr, false).is_discarded());
    }
    if (const long hits = hits_shown(path, outcome.body); hits >= 0) {
      CHECK_MESSAGE(hits >= 1, "a documented search finds nothing on the demo data");
    }
  }
}

}  // namespace clippings::test
