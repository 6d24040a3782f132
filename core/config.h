/// @file config.h
/// Settings of both programs. Layers, later ones winning: built-in defaults, config.yaml,
/// CLIPPINGS_* environment variables, then command-line flags (applied by each main).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "result.h"

namespace clippings {

/// A block of boilerplate: from a line matching `start` up to and including a line matching
/// `end`, or to the end of the text when `end` is empty.
struct BlockRule {
  std::string start;
  std::string end;
};

/// Patterns (ECMAScript regular expressions, case-insensitive) for text that is not the article.
struct BoilerplateRules {
  std::vector<std::string> lines;  ///< a whole line matching one of these is dropped
  std::vector<BlockRule> blocks;
};

/// Names an input field may have in JSON Lines exports (and CSV catalogs); first match wins.
struct FieldMap {
  std::vector<std::string> id, title, text, url, outlet, date, author, lang;
};

struct IndexerSettings {
  int threads = 0;                          ///< indexing threads; 0 = one per core
  int batch_size = 2000;                    ///< articles per commit
  std::size_t max_file_bytes = 64u << 20;   ///< larger input files are rejected
  std::size_t max_article_bytes = 4u << 20; ///< larger articles (text) are rejected
  std::size_t memory_limit_mb = 512;        ///< bound on buffered documents before a flush
  int changesets = 0;                       ///< commits kept as changesets for xapian-replicate
};

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 32;                         ///< threads answering requests (I/O, not searches)
  int max_searches = 0;                     ///< searches running at once; 0 = one per core
  int search_queue = 64;                    ///< searches waiting for a slot; more are refused (503)
  int search_wait_ms = 5000;                ///< longest wait for a search slot before a 503
  int queue_size = 256;                     ///< received requests waiting for a thread; more: 503
  int max_connections = 512;                ///< open connections; idle keep-alive ones go first
  int request_timeout_ms = 10000;           ///< to receive a whole request, not per byte
  int keep_alive_ms = 5000;                 ///< idle time before a keep-alive connection is closed
  int keep_alive_requests = 100;            ///< requests per connection
  std::string web_root;                     ///< the search page; empty: looked for (server/web_root.h)
  std::vector<std::string> cors_origins;    ///< allowed Origin values; "*" for any
  std::size_t max_query_bytes = 2048;       ///< longest accepted `q`
  std::size_t max_request_bytes = 65536;    ///< request line + headers + body
  int facet_size = 20;                      ///< outlets listed beyond the selected ones
  int max_wildcard_expansion = 200;         ///< terms a trailing * may expand to
  int max_query_terms = 1000;               ///< terms a whole q may expand to, wildcards included
  int expensive_query_terms = 100;          ///< a q expanding to more terms is "expensive"
  int max_expensive_searches = 1;           ///< expensive searches running at once; more: 503
  double match_time_limit_ms = 2000;        ///< counting stops after this (timed_out); 0: never
  int snippet_length = 240;                 ///< characters of a result snippet
  int relax_below = 10;                     ///< a plain query with fewer matches drops words; 0: never
  int max_export_rows = 100000;             ///< rows a CSV or JSON Lines export gives at most
  bool access_log = true;
  bool partial_results = false;             ///< a shard that is down: search the others (or 503)
};

/// Xapian's weighting schemes that search.weighting can name (docs/DESIGN.md, "Ranking").
enum class Weighting { kBm25, kBm25Plus, kDph, kPl2, kInl2, kLm };

/// How the matches of a query are ranked.
struct SearchSettings {
  Weighting weighting = Weighting::kBm25;
  double bm25_k1 = 1.0;     ///< BM25 and BM25+: how much repeating a word counts
  double bm25_b = 0.5;      ///< BM25 and BM25+: how much a long article's words are discounted
  double title_boost = 0.025;  ///< extra weight, as a fraction, when the title has every plain word
  int feedback_docs = 0;       ///< first articles whose words re-rank a plain query; 0: none
  int feedback_terms = 20;     ///< words drawn from them
  double feedback_weight = 0.25;  ///< those words' weight together, against one word of the query
};

/// The name of each Weighting in search.weighting.
inline constexpr std::pair<std::string_view, Weighting> kWeightingNames[] = {
    {"bm25", Weighting::kBm25}, {"bm25+", Weighting::kBm25Plus}, {"dph", Weighting::kDph},
    {"pl2", Weighting::kPl2},   {"inl2", Weighting::kInl2},      {"lm", Weighting::kLm},
};

/// search.weighting's name for `weighting`.
std::string_view weighting_name(Weighting weighting);

/// Where an xapian-tcpsrv listens.
struct RemoteAddress {
  std::string host;
  unsigned port = 0;
};
/// The address a shard names when it is "HOST:PORT" (no "/", a port of 1 to 65535, an IPv6
/// host in brackets); nullopt for a local path.
std::optional<RemoteAddress> remote_address(const std::string& shard);

struct Config {
  std::string database = "data/clippings.db";
  /// The shards of the index instead of `database`: the server searches them as one
  /// (search/shards.h), the indexer writes each article to one (index/shard_layout.h).
  /// Empty: none.
  std::vector<std::string> shards;
  /// Databases whose spelling dictionaries (clippings-indexer --spelling-from) the server
  /// suggests and corrects from instead of those of the databases searched: a remote shard's
  /// cannot be read. Empty: the databases searched.
  std::vector<std::string> spelling;
  std::string language = "en";              ///< default stemming language
  std::string log_level = "info";           ///< trace, debug, info, warn, error, off
  std::string log_format = "text";          ///< text or json
  IndexerSettings indexer;
  ServerSettings server;
  SearchSettings search;
  std::map<std::string, std::string> outlets;  ///< URL host -> outlet display name
  BoilerplateRules boilerplate;
  FieldMap fields;
  /// Not a setting: what loading noticed without rejecting it (a CLIPPINGS_* variable that
  /// names no setting), for the program to log once its log is set up.
  std::vector<std::string> warnings;
};

/// Built-in defaults: what the program does with no file and no environment.
Config default_config();

/// Environment variables by name.
using Environment = std::map<std::string, std::string>;

/// The CLIPPINGS_* variables of this process.
Environment clippings_environment();

/// Defaults, then the YAML file at `path` (skipped when empty), then CLIPPINGS_* variables.
/// An error names the key and the reason: "config.yaml: server.port: expected an integer from
/// 1 to 65535, got 'http'", or the variable: "CLIPPINGS_SERVER_PORT: expected an integer ...".
///
/// Each key has a variable: CLIPPINGS_ and its path in capitals, "." as "_"
/// (CLIPPINGS_SERVER_PORT). An empty variable is as good as unset. A list is comma-separated
/// ("a.test, b.test"), or a YAML or JSON list when it starts with "[" (for items holding
/// commas, and "[]" for none); a mapping (outlets) is a YAML or JSON mapping ("{host: Name}").
/// A variable that names no key is reported in Config::warnings, with the nearest name.
Result<Config> load_config(const std::string& path);

/// Same, with the file contents and the environment given directly (tests).
Result<Config> load_config_text(const std::string& yaml_text, const std::string& origin,
                                const Environment& env);

/// The config file to use when none is named: $CLIPPINGS_CONFIG, else ./config.yaml if it
/// exists, else none.
std::string default_config_path();

/// The effective configuration as JSON, for the start-up log.
nlohmann::json describe(const Config& config);

}  // namespace clippings
