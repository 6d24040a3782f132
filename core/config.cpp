/// @file config.cpp
/// Loads and validates the layered configuration. Every key is read through one Reader, which
/// applies the environment override and records the first error with the key's full path.
#include "config.h"

#include "config_environment.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace clippings {
namespace {

const std::set<std::string> kLogLevels = {"trace", "debug", "info", "warn", "error", "off"};
const std::set<std::string> kLanguages = {
    "none",   "ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "hu", "id", "ga",
    "it",     "lt", "ne", "no", "pt", "ro", "ru", "es", "sv", "ta", "tr"};

/// What loading shares between the Readers of each mapping.
struct Loading {
  const Environment& env;
  std::set<std::string> variables;  ///< the variable of every key read
  std::string error;                ///< the first error, "key.path: reason" or "VARIABLE: reason"
  bool error_from_env = false;
};

/// Reads typed values from one YAML mapping, each from its CLIPPINGS_* variable when that is
/// set, and records the first error with the key's full path (or the variable's name).
class Reader {
 public:
  Reader(const YAML::Node& node, std::string path, Loading& loading)
      : node_(node), path_(std::move(path)), loading_(loading) {}

  Reader child(const std::string& key) {
    known_.insert(key);
    YAML::Node sub = node_ ? node_[key] : YAML::Node{};
    if (sub && !sub.IsNull() && !sub.IsMap()) fail({}, key, "expected a mapping");
    return Reader{sub && sub.IsMap() ? sub : YAML::Node{}, key_path(key), loading_};
  }

  void text(const std::string& key, std::string& out,
            const std::set<std::string>& allowed = {}) {
    const Value v = value(key, ValueShape::kScalar);
    std::string text = out;
    if (auto raw = scalar(v, key)) text = *raw;
    if (!allowed.empty() && !allowed.count(text)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return fail(v, key, fmt::format("'{}' is not one of: {}", text, list));
    }
    out = text;
  }

  template <typename Int>
  void integer(const std::string& key, Int& out, long long min, long long max) {
    const Value v = value(key, ValueShape::kScalar);
    auto raw = scalar(v, key);
    if (!raw) return;
    long long number = 0;
    std::size_t used = 0;
    try {
      number = std::stoll(*raw, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != raw->size() || number < min || number > max) {
      return fail(v, key, fmt::format("expected an integer from {} to {}, got '{}'", min, max, *raw));
    }
    out = static_cast<Int>(number);
  }

  void number(const std::string& key, double& out, double min, double max) {
    const Value v = value(key, ValueShape::kScalar);
    auto raw = scalar(v, key);
    if (!raw) return;
    double value = 0;
    std::size_t used = 0;
    try {
      value = std::stod(*raw, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    // Also rejects "nan" (no comparison holds) and "inf".
    if (used == 0 || used != raw->size() || !(value >= min && value <= max)) {
      return fail(v, key, fmt::format("expected a number from {} to {}, got '{}'", min, max, *raw));
    }
    out = value;
  }

  void boolean(const std::string& key, bool& out) {
    const Value v = value(key, ValueShape::kScalar);
    auto raw = scalar(v, key);
    if (!raw) return;
    if (*raw == "true" || *raw == "1" || *raw == "yes") {
      out = true;
    } else if (*raw == "false" || *raw == "0" || *raw == "no") {
      out = false;
    } else {
      fail(v, key, fmt::format("expected true or false, got '{}'", *raw));
    }
  }

  /// A list of strings.
  void list(const std::string& key, std::vector<std::string>& out) { read_list(key, out); }

  /// A list of regular expressions, each checked to compile.
  void patterns(const std::string& key, std::vector<std::string>& out) {
    const Value v = read_list(key, out);
    for (const auto& pattern : out) check_pattern(v, key, pattern);
  }

  /// A list of blocks: {start, end} mappings, or a start pattern alone (to the end).
  void block_rules(const std::string& key, std::vector<BlockRule>& out) {
    const Value v = value(key, ValueShape::kList);
    if (!v.node || v.node.IsNull()) return;
    if (!v.node.IsSequence()) return fail(v, key, "expected a list of {start, end} mappings");
    out.clear();
    for (const auto& item : v.node) {
      BlockRule rule;
      if (item.IsScalar()) {
        rule.start = item.as<std::string>();
      } else if (item.IsMap() && item["start"] && item["start"].IsScalar()) {
        rule.start = item["start"].as<std::string>();
        if (item["end"] && !item["end"].IsNull()) rule.end = item["end"].as<std::string>();
      } else {
        return fail(v, key, "each block needs a 'start' pattern");
      }
      check_pattern(v, key, rule.start);
      if (!rule.end.empty()) check_pattern(v, key, rule.end);
      out.push_back(rule);
    }
  }

  /// A mapping of strings, added to (and overriding entries of) the layers below.
  void string_map(const std::string& key, std::map<std::string, std::string>& out) {
    const Value v = value(key, ValueShape::kMapping);
    // The file's entries first, when the variable's are to go over them.
    const Value file{v.variable.empty() || !node_ ? YAML::Node{} : node_[key], ""};
    for (const Value* layer : {&file, &v}) {
      if (!layer->node || layer->node.IsNull()) continue;
      if (!layer->node.IsMap()) return fail(*layer, key, "expected a mapping of host to outlet name");
      for (const auto& entry : layer->node) {
        if (!entry.second.IsScalar()) {
          return fail(*layer, key, "expected a mapping of host to outlet name");
        }
        out[entry.first.as<std::string>()] = entry.second.as<std::string>();
      }
    }
  }

  /// Any key in the file that no reader asked for is an error (a typo would be silent otherwise).
  void reject_unknown_keys() {
    if (!node_ || !node_.IsMap()) return;
    for (const auto& entry : node_) {
      const auto key = entry.first.as<std::string>();
      if (!known_.count(key)) fail({}, key, "unknown key");
    }
  }

 private:
  /// A key's value: a node of the file, or one made from its variable (named then).
  struct Value {
    YAML::Node node;
    std::string variable;
  };

  std::string key_path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  /// The value of `key`: from its variable when that is set and not empty, else from the file.
  Value value(const std::string& key, ValueShape shape) {
    known_.insert(key);
    const std::string name = variable_name(key_path(key));
    loading_.variables.insert(name);
    auto set = loading_.env.find(name);
    if (set == loading_.env.end() || set->second.empty()) {
      return {node_ ? node_[key] : YAML::Node{}, ""};
    }
    auto node = node_from_variable(set->second, shape);
    if (!node) {
      fail({{}, name}, key, node.error().message);
      return {};
    }
    return {*node, name};
  }

  /// A single value as text; nullopt when absent (or not a single value: an error).
  std::optional<std::string> scalar(const Value& v, const std::string& key) {
    if (!v.node || v.node.IsNull()) return std::nullopt;
    if (!v.node.IsScalar()) {
      fail(v, key, "expected a single value");
      return std::nullopt;
    }
    return v.node.as<std::string>();
  }

  Value read_list(const std::string& key, std::vector<std::string>& out) {
    Value v = value(key, ValueShape::kList);
    if (!v.node || v.node.IsNull()) return v;
    if (!v.node.IsSequence()) {
      fail(v, key, "expected a list of strings");
      return v;
    }
    out.clear();
    for (const auto& item : v.node) {
      if (!item.IsScalar()) {
        fail(v, key, "expected a list of strings");
        return v;
      }
      out.push_back(item.as<std::string>());
    }
    return v;
  }

  void check_pattern(const Value& v, const std::string& key, const std::string& pattern) {
    try {
      std::regex{pattern, std::regex::ECMAScript | std::regex::icase};
    } catch (const std::regex_error& e) {
      fail(v, key, fmt::format("invalid pattern '{}': {}", pattern, e.what()));
    }
  }

  /// Records the first error: named by the variable the value came from, else by key path.
  void fail(const Value& v, const std::string& key, const std::string& reason) {
    if (!loading_.error.empty()) return;
    loading_.error = fmt::format("{}: {}", v.variable.empty() ? key_path(key) : v.variable, reason);
    loading_.error_from_env = !v.variable.empty();
  }

  YAML::Node node_;
  std::string path_;
  Loading& loading_;
  std::set<std::string> known_;
};

void read_indexer(Reader r, IndexerSettings& s) {
  r.integer("threads", s.threads, 0, 256);
  r.integer("batch_size", s.batch_size, 1, 1000000);
  r.integer("max_file_bytes", s.max_file_bytes, 1, 1LL << 40);
  r.integer("max_article_bytes", s.max_article_bytes, 1, 1LL << 32);
  r.integer("memory_limit_mb", s.memory_limit_mb, 16, 1LL << 20);
  r.integer("changesets", s.changesets, 0, 100000);
  r.reject_unknown_keys();
}

void read_server(Reader r, ServerSettings& s) {
  r.text("host", s.host);
  r.integer("port", s.port, 1, 65535);
  r.integer("threads", s.threads, 1, 1024);
  r.integer("max_searches", s.max_searches, 0, 1024);
  r.integer("search_queue", s.search_queue, 0, 100000);
  r.integer("search_wait_ms", s.search_wait_ms, 0, 600000);
  r.integer("queue_size", s.queue_size, 1, 100000);
  r.integer("max_connections", s.max_connections, 1, 1000000);
  r.integer("request_timeout_ms", s.request_timeout_ms, 100, 600000);
  r.integer("keep_alive_ms", s.keep_alive_ms, 0, 600000);
  r.integer("keep_alive_requests", s.keep_alive_requests, 1, 1000000);
  r.text("web_root", s.web_root);
  r.list("cors_origins", s.cors_origins);
  r.integer("max_query_bytes", s.max_query_bytes, 16, 1 << 20);
  r.integer("max_request_bytes", s.max_request_bytes, 1024, 1 << 30);
  r.integer("facet_size", s.facet_size, 1, 1000);
  r.integer("max_wildcard_expansion", s.max_wildcard_expansion, 1, 100000);
  r.integer("max_query_terms", s.max_query_terms, 1, 1000000);
  r.integer("expensive_query_terms", s.expensive_query_terms, 1, 1000000);
  r.integer("max_expensive_searches", s.max_expensive_searches, 1, 1024);
  int time_limit_ms = static_cast<int>(s.match_time_limit_ms);
  r.integer("match_time_limit_ms", time_limit_ms, 0, 600000);
  s.match_time_limit_ms = time_limit_ms;
  r.integer("snippet_length", s.snippet_length, 20, 10000);
  r.integer("relax_below", s.relax_below, 0, 1000000);
  r.integer("max_export_rows", s.max_export_rows, 1, 10000000);
  r.boolean("access_log", s.access_log);
  r.boolean("partial_results", s.partial_results);
  r.reject_unknown_keys();
}

void read_search(Reader r, SearchSettings& s) {
  std::set<std::string> names;
  for (const auto& [name, weighting] : kWeightingNames) names.emplace(name);
  std::string chosen{weighting_name(s.weighting)};
  r.text("weighting", chosen, names);
  for (const auto& [name, weighting] : kWeightingNames) {
    if (name == chosen) s.weighting = weighting;
  }
  // Bounds that keep any weight far below a relaxed query's tiers (search::kTierWeight).
  r.number("bm25_k1", s.bm25_k1, 0, 10);
  r.number("bm25_b", s.bm25_b, 0, 1);
  r.number("title_boost", s.title_boost, 0, 1);
  r.integer("feedback_docs", s.feedback_docs, 0, 100);
  r.integer("feedback_terms", s.feedback_terms, 1, 100);
  r.number("feedback_weight", s.feedback_weight, 0, 1);
  r.reject_unknown_keys();
}

void read_fields(Reader r, FieldMap& f) {
  r.list("id", f.id);
  r.list("title", f.title);
  r.list("text", f.text);
  r.list("url", f.url);
  r.list("outlet", f.outlet);
  r.list("date", f.date);
  r.list("author", f.author);
  r.list("lang", f.lang);
  r.reject_unknown_keys();
}

void read_boilerplate(Reader r, BoilerplateRules& b) {
  r.patterns("lines", b.lines);
  r.block_rules("blocks", b.blocks);
  r.reject_unknown_keys();
}

}  // namespace

std::string_view weighting_name(Weighting weighting) {
  for (const auto& [name, value] : kWeightingNames) {
    if (value == weighting) return name;
  }
  return {};
}

Config default_config() {
  Config config;
  config.outlets = {
      {"themoscowtimes.com", "The Moscow Times"},
      {"aol.co.uk", "AOL"},
      {"pledgetimes.com", "Pledge Times"},
      {"247newsreel.com", "247 News Reel"},
      {"northfieldgazette.example", "Northfield Gazette"},  // the samples' JSON export
  };
  config.boilerplate.lines = {
      R"(^\s*support the moscow times!?\s*$)",
      R"(^\s*(advertisement|advert|sponsored content)\s*$)",
      R"(^\s*(read more|remind me later\.?|not ready to support today\?|share this article)\s*$)",
      // Photo credits, never ending like a sentence: "Name / AGENCY / Source",
      // "Caption - Planetpix /Alamy", "Caption. © NAME/AFP", "CaptionPhoto: Name / AP".
      R"(^[^.!?0-9]{1,250}\s/\s?[a-z][^.!?/"\xE20-9]{0,40}$)",
      R"(^.{0,250}©\s*[^.!?]{1,80}$)",
      R"(^.{0,200}(photo|photograph|image|picture)s?( credits?)?:\s*[^.!?]{1,100}$)",
  };
  config.boilerplate.blocks = {
      {R"(^\W*we have a small favou?r to ask)", ""},
  };
  config.fields = FieldMap{
      .id = {"id", "_id", "uuid", "guid"},
      .title = {"title", "headline", "name"},
      .text = {"text", "body", "content", "article", "maintext"},
      .url = {"url", "link", "canonical_url", "source_url"},
      .outlet = {"outlet", "source", "publisher", "site_name", "site"},
      .date = {"date", "published", "published_at", "date_publish", "datePublished", "publish_date",
                "pub_date", "pubdate", "timestamp"},
      .author = {"author", "authors", "byline", "creator"},
      .lang = {"lang", "language"},
  };
  return config;
}

Result<Config> load_config_text(const std::string& yaml_text, const std::string& origin,
                                const Environment& env) {
  Config config = default_config();
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return Error{2, "invalid_config",
                 fmt::format("{}:{}: {}", origin, e.mark.line + 1, e.msg), ""};
  }
  if (root && !root.IsNull() && !root.IsMap()) {
    return Error{2, "invalid_config", origin + ": expected a mapping of settings", ""};
  }
  Loading loading{env, {}, {}, false};
  Reader top{root, "", loading};
  top.text("database", config.database);
  top.list("shards", config.shards);
  top.list("spelling", config.spelling);
  top.text("language", config.language, kLanguages);
  top.text("log_level", config.log_level, kLogLevels);
  top.text("log_format", config.log_format, {"text", "json"});
  read_indexer(top.child("indexer"), config.indexer);
  read_server(top.child("server"), config.server);
  read_search(top.child("search"), config.search);
  top.string_map("outlets", config.outlets);
  read_boilerplate(top.child("boilerplate"), config.boilerplate);
  read_fields(top.child("fields"), config.fields);
  top.reject_unknown_keys();
  if (!loading.error.empty()) {
    // A bad variable is named as it is; the file is not where its value came from.
    return Error{2, "invalid_config",
                 loading.error_from_env ? loading.error : origin + ": " + loading.error, ""};
  }
  config.warnings = unknown_variable_warnings(env, loading.variables);
  return config;
}

Result<Config> load_config(const std::string& path) {
  std::string text;
  if (!path.empty()) {
    std::ifstream in{path};
    if (!in) return Error{2, "invalid_config", path + ": cannot read the config file", ""};
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  return load_config_text(text, path.empty() ? "defaults" : path, clippings_environment());
}

std::string default_config_path() {
  if (const char* env = std::getenv("CLIPPINGS_CONFIG"); env && *env) return env;
  return std::filesystem::exists("config.yaml") ? "config.yaml" : "";
}

nlohmann::json describe(const Config& c) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& b : c.boilerplate.blocks) blocks.push_back({{"start", b.start}, {"end", b.end}});
  return {
      {"database", c.database},
      {"shards", c.shards},
      {"spelling", c.spelling},
      {"language", c.language},
      {"log_level", c.log_level},
      {"log_format", c.log_format},
      {"indexer",
       {{"threads", c.indexer.threads},
        {"batch_size", c.indexer.batch_size},
        {"max_file_bytes", c.indexer.max_file_bytes},
        {"max_article_bytes", c.indexer.max_article_bytes},
        {"memory_limit_mb", c.indexer.memory_limit_mb},
        {"changesets", c.indexer.changesets}}},
      {"server",
       {{"host", c.server.host},
        {"port", c.server.port},
        {"threads", c.server.threads},
        {"max_searches", c.server.max_searches},
        {"search_queue", c.server.search_queue},
        {"search_wait_ms", c.server.search_wait_ms},
        {"queue_size", c.server.queue_size},
        {"max_connections", c.server.max_connections},
        {"request_timeout_ms", c.server.request_timeout_ms},
        {"keep_alive_ms", c.server.keep_alive_ms},
        {"keep_alive_requests", c.server.keep_alive_requests},
        {"web_root", c.server.web_root},
        {"cors_origins", c.server.cors_origins},
        {"max_query_bytes", c.server.max_query_bytes},
        {"max_request_bytes", c.server.max_request_bytes},
        {"facet_size", c.server.facet_size},
        {"max_wildcard_expansion", c.server.max_wildcard_expansion},
        {"max_query_terms", c.server.max_query_terms},
        {"expensive_query_terms", c.server.expensive_query_terms},
        {"max_expensive_searches", c.server.max_expensive_searches},
        {"match_time_limit_ms", c.server.match_time_limit_ms},
        {"snippet_length", c.server.snippet_length},
        {"relax_below", c.server.relax_below},
        {"max_export_rows", c.server.max_export_rows},
        {"access_log", c.server.access_log},
        {"partial_results", c.server.partial_results}}},
      {"search",
       {{"weighting", weighting_name(c.search.weighting)},
        {"bm25_k1", c.search.bm25_k1},
        {"bm25_b", c.search.bm25_b},
        {"title_boost", c.search.title_boost},
        {"feedback_docs", c.search.feedback_docs},
        {"feedback_terms", c.search.feedback_terms},
        {"feedback_weight", c.search.feedback_weight}}},
      {"outlets", c.outlets},
      {"boilerplate", {{"lines", c.boilerplate.lines}, {"blocks", blocks}}},
      {"fields",
       {{"id", c.fields.id},
        {"title", c.fields.title},
        {"text", c.fields.text},
        {"url", c.fields.url},
        {"outlet", c.fields.outlet},
        {"date", c.fields.date},
        {"author", c.fields.author},
        {"lang", c.fields.lang}}},
  };
}

std::optional<RemoteAddress> remote_address(const std::string& shard) {
  const auto colon = shard.rfind(':');
  if (colon == std::string::npos || colon == 0 || shard.find('/') != std::string::npos) return std::nullopt;
  const std::string_view digits = std::string_view{shard}.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (error != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535) return std::nullopt;
  std::string host = shard.substr(0, colon);
  // An IPv6 address is written in brackets ("[::1]:7011"); the resolver wants it without.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return RemoteAddress{std::move(host), port};
}

}  // namespace clippings
