/// @file test_config.cpp
#include <doctest/doctest.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "config.h"

using namespace clippings;

namespace {

Environment fake_env;

/// Each setting of a described config: its key path joined by "_", and its value (outlets is
/// one setting, a mapping).
std::vector<std::pair<std::string, nlohmann::json>> setting_leaves(const nlohmann::json& described) {
  std::vector<std::pair<std::string, nlohmann::json>> leaves;
  for (const auto& [section, value] : described.items()) {
    if (!value.is_object() || section == "outlets") {
      leaves.emplace_back(section, value);
      continue;
    }
    for (const auto& [key, leaf] : value.items()) leaves.emplace_back(section + "_" + key, leaf);
  }
  return leaves;
}

std::string variable_of(const std::string& path) {
  std::string name = "CLIPPINGS_" + path;
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

TEST_CASE("the file overrides defaults, and the environment overrides the file") {
  fake_env = {{"CLIPPINGS_SERVER_PORT", "9191"}, {"CLIPPINGS_SERVER_CORS_ORIGINS", "a.test,b.test"}};
  auto config = load_config_text(
      "database: /tmp/x.db\nserver:\n  port: 8181\n  threads: 3\noutlets:\n  example.org: Example\n",
      "test.yaml", fake_env);
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
  auto config = load_config_text("", "empty.yaml", fake_env);
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
    auto config = load_config_text(c.yaml, "bad.yaml", fake_env);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.rfind(c.message, 0) == 0);
  }
}

TEST_CASE("a bad environment value is rejected naming its variable, not the file") {
  const struct {
    const char* name;
    const char* value;
    const char* message;
  } cases[] = {
      {"CLIPPINGS_SERVER_PORT", "http", "CLIPPINGS_SERVER_PORT: expected an integer from 1 to 65535, got 'http'"},
      {"CLIPPINGS_INDEXER_BATCH_SIZE", "0", "CLIPPINGS_INDEXER_BATCH_SIZE: expected an integer from 1 to 1000000, got '0'"},
      {"CLIPPINGS_LOG_FORMAT", "xml", "CLIPPINGS_LOG_FORMAT: 'xml' is not one of: json, text"},
      {"CLIPPINGS_SERVER_ACCESS_LOG", "maybe", "CLIPPINGS_SERVER_ACCESS_LOG: expected true or false, got 'maybe'"},
      {"CLIPPINGS_OUTLETS", "[a, b]", "CLIPPINGS_OUTLETS: expected a mapping of host to outlet name"},
      {"CLIPPINGS_OUTLETS", "{a: [", "CLIPPINGS_OUTLETS: expected a YAML or JSON mapping {key: value, ...}: "},
      {"CLIPPINGS_FIELDS_TEXT", "[story, [x]]", "CLIPPINGS_FIELDS_TEXT: expected a list of strings"},
      {"CLIPPINGS_BOILERPLATE_LINES", "(unclosed", "CLIPPINGS_BOILERPLATE_LINES: invalid pattern '(unclosed'"},
      {"CLIPPINGS_BOILERPLATE_BLOCKS", "[{end: x}]", "CLIPPINGS_BOILERPLATE_BLOCKS: each block needs a 'start' pattern"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    fake_env = {{c.name, c.value}};
    // The file sets the key too: the variable is what is wrong, and what the message names.
    auto config = load_config_text("server:\n  port: 8181\n", "config.yaml", fake_env);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.rfind(c.message, 0) == 0);
  }
  fake_env.clear();
}

TEST_CASE("every kind of setting can be set by its variable: scalars, lists, mappings, blocks") {
  fake_env = {
      {"CLIPPINGS_SERVER_CORS_ORIGINS", " https://a.test , https://b.test,"},
      {"CLIPPINGS_FIELDS_TEXT", "story,copy"},
      {"CLIPPINGS_FIELDS_AUTHOR", "[]"},
      {"CLIPPINGS_BOILERPLATE_LINES", R"(['^\s*x{1,2}\s*$', "^more, with a comma$"])"},
      {"CLIPPINGS_BOILERPLATE_BLOCKS", R"([{start: '^begin', end: '^stop$'}, '^to the end'])"},
      {"CLIPPINGS_OUTLETS", R"({"wire.example": "Valley Wire", other.example: Other, post.example: 'Post, Evening'})"},
      {"CLIPPINGS_INDEXER_MAX_FILE_BYTES", "1000"},
      {"CLIPPINGS_SERVER_ACCESS_LOG", "false"},
      {"CLIPPINGS_LOG_LEVEL", ""},  // empty: as if unset
  };
  auto config = load_config_text("log_level: debug\noutlets:\n  file.example: From File\n", "test.yaml", fake_env);
  REQUIRE_MESSAGE(config.ok(), config.error().message);
  CHECK(config->server.cors_origins == std::vector<std::string>{"https://a.test", "https://b.test"});
  CHECK(config->fields.text == std::vector<std::string>{"story", "copy"});
  CHECK(config->fields.author.empty());
  CHECK(config->boilerplate.lines == std::vector<std::string>{R"(^\s*x{1,2}\s*$)", "^more, with a comma$"});
  REQUIRE(config->boilerplate.blocks.size() == 2);
  CHECK(config->boilerplate.blocks[0].start == "^begin");
  CHECK(config->boilerplate.blocks[0].end == "^stop$");
  CHECK(config->boilerplate.blocks[1].start == "^to the end");
  CHECK(config->boilerplate.blocks[1].end.empty());
  // A mapping adds to the layers below, as the file's does to the defaults.
  CHECK(config->outlets.at("wire.example") == "Valley Wire");
  CHECK(config->outlets.at("other.example") == "Other");
  CHECK(config->outlets.at("post.example") == "Post, Evening");
  CHECK(config->outlets.at("file.example") == "From File");
  CHECK(config->outlets.at("themoscowtimes.com") == "The Moscow Times");
  CHECK(config->indexer.max_file_bytes == 1000);
  CHECK_FALSE(config->server.access_log);
  CHECK(config->log_level == "debug");
  CHECK(config->warnings.empty());
  fake_env.clear();
}

TEST_CASE("a CLIPPINGS_ variable that names no setting is warned about with the nearest name") {
  fake_env = {
      {"CLIPPINGS_SERVER_PROT", "9090"},
      {"CLIPPINGS_DATABSE", "/tmp/db"},
      {"CLIPPINGS_SERVER_CORS_ORIGIN", "*"},
      {"CLIPPINGS_TOTALLY_UNRELATED", "x"},
      {"CLIPPINGS_CONFIG", "/etc/clippings.yaml"},  // the config file: not a setting, not a typo
      {"CLIPPINGS_ARTICLES", "/srv/articles"},     // read by docker/compose.yaml
  };
  auto config = load_config_text("", "test.yaml", fake_env);
  REQUIRE(config.ok());
  CHECK(config->warnings == std::vector<std::string>{
      "CLIPPINGS_DATABSE is not a setting and is ignored; did you mean CLIPPINGS_DATABASE?",
      "CLIPPINGS_SERVER_CORS_ORIGIN is not a setting and is ignored; did you mean CLIPPINGS_SERVER_CORS_ORIGINS?",
      "CLIPPINGS_SERVER_PROT is not a setting and is ignored; did you mean CLIPPINGS_SERVER_PORT?",
      "CLIPPINGS_TOTALLY_UNRELATED is not a setting and is ignored (config.yaml lists the settings)",
  });
  CHECK(config->server.port == 8080);
  fake_env.clear();
}

TEST_CASE("every CLIPPINGS_ variable the compose files read from the shell is known to both programs") {
  // The shell that runs docker compose may export them, and so may the one that runs the programs.
  for (const char* file : {"/docker/compose.yaml", "/docker/compose.shards.yaml"}) {
    CAPTURE(file);
    std::ifstream in{std::string{CLIPPINGS_SOURCE_DIR} + file};
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    fake_env.clear();
    for (std::size_t at = text.find("${CLIPPINGS_"); at != std::string::npos; at = text.find("${CLIPPINGS_", at + 1)) {
      const std::size_t end = text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", at + 2);
      fake_env.emplace(text.substr(at + 2, end - at - 2), "");
    }
    CHECK(fake_env.count("CLIPPINGS_ARTICLES") == 1);
    auto config = load_config_text("", "test.yaml", fake_env);
    REQUIRE(config.ok());
    CHECK(config->warnings.empty());
  }
  fake_env.clear();
}

TEST_CASE("every key of the shipped config.yaml has a variable that sets it") {
  // Each key's variable, set to a value the key accepts, must change what describe() shows.
  const std::string text = [] {
    std::ifstream in{CLIPPINGS_SOURCE_DIR "/config.yaml"};
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }();
  fake_env.clear();
  const nlohmann::json defaults = describe(*load_config_text(text, "config.yaml", fake_env));
  const auto leaves = setting_leaves(defaults);
  std::size_t keys = 0;
  for (const auto& [path, leaf] : leaves) {
    const std::string name = variable_of(path);
    std::string setting = leaf.is_boolean() ? (leaf.get<bool>() ? "false" : "true")
                          : leaf.is_number() ? "17"
                          : leaf.is_array()  ? "[x]"
                          : leaf.is_object() ? "{new.example: New}"
                                             : "/changed";
    if (path == "language") setting = "fr";
    if (path == "log_level") setting = "error";
    if (path == "log_format") setting = "json";
    if (path == "server_port" || path == "server_threads" || path == "indexer_memory_limit_mb") {
      setting = "1017";
    }
    if (path.starts_with("server_max") || path == "server_snippet_length") setting = "2017";
    if (path == "server_max_searches" || path == "server_max_expensive_searches") setting = "17";
    if (path.ends_with("_ms")) setting = "1017";
    // The ranking settings take a scheme's name and numbers in narrower ranges.
    if (path == "search_weighting") setting = "dph";
    if (path == "search_bm25_k1") setting = "2";
    if (path == "search_bm25_b" || path == "search_title_boost" || path == "search_feedback_weight") {
      setting = "0.75";
    }
    CAPTURE(name);
    fake_env = {{name, setting}};
    auto changed = load_config_text(text, "config.yaml", fake_env);
    REQUIRE_MESSAGE(changed.ok(), changed.error().message);
    CHECK(changed->warnings.empty());
    CHECK(describe(*changed) != defaults);
    ++keys;
  }
  CHECK(keys > 30);
  fake_env.clear();
}

TEST_CASE("the ranking settings are read from the file and the environment") {
  fake_env = {{"CLIPPINGS_SEARCH_TITLE_BOOST", "0"}};
  auto config = load_config_text("search:\n  weighting: bm25+\n  bm25_k1: 1.5\n  bm25_b: 0.75\n",
                                 "test.yaml", fake_env);
  REQUIRE(config.ok());
  CHECK(config->search.weighting == Weighting::kBm25Plus);
  CHECK(config->search.bm25_k1 == 1.5);
  CHECK(config->search.bm25_b == 0.75);
  CHECK(config->search.title_boost == 0);
  CHECK(describe(*config)["search"]["weighting"] == "bm25+");
  fake_env.clear();
  for (const auto& [name, weighting] : kWeightingNames) {
    CAPTURE(name);
    auto named = load_config_text(fmt::format("search:\n  weighting: {}\n", name), "w.yaml", fake_env);
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
      "config.yaml", fake_env);
  REQUIRE(shipped.ok());
  CHECK(describe(*shipped).dump(2) == describe(default_config()).dump(2));
}

TEST_CASE("docker/compose.yaml passes every setting to both services but the four the image fixes") {
  std::set<std::string> expected;
  for (const auto& [path, value] : setting_leaves(describe(default_config()))) {
    expected.insert(variable_of(path));
  }
  for (const char* fixed : {"CLIPPINGS_DATABASE", "CLIPPINGS_SERVER_HOST", "CLIPPINGS_SERVER_PORT",
                            "CLIPPINGS_SERVER_WEB_ROOT"}) {
    expected.erase(fixed);
  }
  const YAML::Node compose = YAML::LoadFile(CLIPPINGS_SOURCE_DIR "/docker/compose.yaml");
  for (const char* service : {"indexer", "server"}) {
    CAPTURE(service);
    std::set<std::string> passed;
    for (const auto& entry : compose["services"][service]["environment"]) {
      const auto name = entry.first.as<std::string>();
      passed.insert(name);
      // Passed through from the shell, empty when unset there.
      CHECK(entry.second.as<std::string>() == "${" + name + ":-}");
    }
    CHECK(passed == expected);
  }
}
