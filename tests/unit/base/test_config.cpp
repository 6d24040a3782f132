/// @file test_config.cpp
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <map>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config.h"

using namespace clippings;

namespace {

std::map<std::string, std::string> fake_env;
const char* lookup(const char* name) {
  auto found = fake_env.find(name);
  return found == fake_env.end() ? nullptr : found->second.c_str();
}

}  // namespace

TEST_CASE("the file overrides defaults, and the environment overrides the file") {
  fake_env = {{"CLIPPINGS_SERVER_PORT", "9191"}, {"CLIPPINGS_SERVER_CORS_ORIGINS", "a.test,b.test"}};
  auto config = load_config_text(
      "database: /tmp/x.db\nserver:\n  port: 8181\n  threads: 3\noutlets:\n  example.org: Example\n",
      "test.yaml", &lookup);
  REQUIRE(config.ok());
  CHECK(config->database == "/tmp/x.db");
  CHECK(config->server.threads == 3);
  CHECK(config->server.port == 9191);
  CHECK(config->server.cors_origins == std::vector<std::string>{"a.test", "b.test"});
  CHECK(config->outlets.at("example.org") == "Example");
  CHECK(config->outlets.at("themoscowtimes.com") == "The Moscow Times");  // defaults kept
  fake_env.clear();
}

TEST_CASE("an empty file gives the defaults") {
  fake_env.clear();
  auto config = load_config_text("", "empty.yaml", &lookup);
  REQUIRE(config.ok());
  CHECK(config->server.port == 8080);
  CHECK(config->server.host == "127.0.0.1");
  CHECK(config->language == "en");
  CHECK_FALSE(config->boilerplate.lines.empty());
  CHECK(config->fields.text == std::vector<std::string>{"text", "body", "content", "article",
                                                        "maintext"});
}

TEST_CASE("invalid config files are rejected with the key and the reason") {
  fake_env.clear();
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"server:\n  port: 99999\n", "bad.yaml: server.port: expected an integer from 1 to 65535, got '99999'"},
      {"server:\n  port: http\n", "bad.yaml: server.port: expected an integer from 1 to 65535, got 'http'"},
      {"server:\n  prot: 80\n", "bad.yaml: server.prot: unknown key"},
      {"databse: x\n", "bad.yaml: databse: unknown key"},
      {"log_level: loud\n", "bad.yaml: log_level: 'loud' is not one of:"},
      {"server: 8080\n", "bad.yaml: server: expected a mapping"},
      {"boilerplate:\n  lines: ['(unclosed']\n", "bad.yaml: boilerplate.lines: invalid pattern '(unclosed'"},
      {"boilerplate:\n  blocks: [{end: x}]\n", "bad.yaml: boilerplate.blocks: each block needs a 'start' pattern"},
      {"server:\n  access_log: maybe\n", "bad.yaml: server.access_log: expected true or false, got 'maybe'"},
      {"outlets: [a, b]\n", "bad.yaml: outlets: expected a mapping of host to outlet name"},
      {"server: {port: [1]}\n", "bad.yaml: server.port: expected a single value"},
      {"search:\n  weighting: bm26\n", "bad.yaml: search.weighting: 'bm26' is not one of: bm25, bm25+, dph, inl2, lm, pl2"},
      {"search:\n  bm25_b: 1.5\n", "bad.yaml: search.bm25_b: expected a number from 0 to 1, got '1.5'"},
      {"search:\n  bm25_k1: -1\n", "bad.yaml: search.bm25_k1: expected a number from 0 to 10, got '-1'"},
      {"search:\n  bm25_k1: 1.2x\n", "bad.yaml: search.bm25_k1: expected a number from 0 to 10, got '1.2x'"},
      {"search:\n  title_boost: nan\n", "bad.yaml: search.title_boost: expected a number from 0 to 1, got 'nan'"},
      {"search:\n  title_boost: .inf\n", "bad.yaml: search.title_boost: expected a number from 0 to 1, got '.inf'"},
      {"search:\n  title_bost: 1\n", "bad.yaml: search.title_bost: unknown key"},
      {"a: [\n", "bad.yaml:"},
      {"- just\n- a list\n", "bad.yaml: expected a mapping of settings"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    auto config = load_config_text(c.yaml, "bad.yaml", &lookup);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.rfind(c.message, 0) == 0);
  }
}

TEST_CASE("a bad environment value is rejected with its key") {
  fake_env = {{"CLIPPINGS_INDEXER_BATCH_SIZE", "0"}};
  auto config = load_config_text("", "env.yaml", &lookup);
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().message == "env.yaml: indexer.batch_size: expected an integer from 1 to 1000000, got '0'");
  fake_env.clear();
}

TEST_CASE("the ranking settings are read from the file and the environment") {
  fake_env = {{"CLIPPINGS_SEARCH_TITLE_BOOST", "0"}};
  auto config = load_config_text("search:\n  weighting: bm25+\n  bm25_k1: 1.5\n  bm25_b: 0.75\n",
                                 "test.yaml", &lookup);
  REQUIRE(config.ok());
  CHECK(config->search.weighting == Weighting::kBm25Plus);
  CHECK(config->search.bm25_k1 == 1.5);
  CHECK(config->search.bm25_b == 0.75);
  CHECK(config->search.title_boost == 0);
  CHECK(describe(*config)["search"]["weighting"] == "bm25+");
  fake_env.clear();
  for (const auto& [name, weighting] : kWeightingNames) {
    CAPTURE(name);
    auto named = load_config_text(fmt::format("search:\n  weighting: {}\n", name), "w.yaml", &lookup);
    REQUIRE(named.ok());
    CHECK(named->search.weighting == weighting);
    CHECK(weighting_name(weighting) == name);
  }
}

TEST_CASE("a missing config file is an error, not the defaults") {
  auto config = load_config("/nonexistent/clippings.yaml");
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().message == "/nonexistent/clippings.yaml: cannot read the config file");
}

TEST_CASE("the shipped config.yaml states exactly the built-in defaults") {
  fake_env.clear();
  auto shipped = load_config_text(
      [] {
        std::ifstream in{CLIPPINGS_SOURCE_DIR "/config.yaml"};
        std::stringstream buffer;
        buffer << in.rdbuf();
        return buffer.str();
      }(),
      "config.yaml", &lookup);
  REQUIRE(shipped.ok());
  CHECK(describe(*shipped).dump(2) == describe(default_config()).dump(2));
}
