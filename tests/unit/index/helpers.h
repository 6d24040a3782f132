/// @file helpers.h
/// Shared pieces of the indexer tests: configs, database inspection, captured logs.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <xapian.h>

#include "config.h"
#include "index/indexer.h"

namespace clippings::test {

/// Default settings writing to `db`, two threads, small batches.
Config index_config(const std::filesystem::path& db);

/// A run over `sources`, which must not fail (a test failure says why if it does).
IndexStats index(const Config& config, std::vector<std::string> sources, bool prune = false,
                 bool force = false);

/// The article ids (Q terms without the prefix) in a database.
std::multiset<std::string> ids_in(const std::filesystem::path& db);

/// The number of documents in a database, or -1 when it cannot be opened.
long doccount_of(const std::filesystem::path& db);

/// The source files (value slot kSlotSource) of the articles matching a Xapian query with the
/// schema's field prefixes (title:, outlet:, ...), stemmed as the server stems queries.
std::set<std::string> sources_matching(const std::filesystem::path& db, const std::string& query);

/// How many articles carry each outlet, by the outlet value slot and, separately, the outlet
/// term: both must agree.
struct OutletCount {
  std::size_t values = 0;
  Xapian::doccount term_frequency = 0;
};
OutletCount outlet_count(const std::filesystem::path& db, const std::string& outlet);

/// Routes spdlog's default logger into a string for the scope's lifetime.
class CapturedLog {
 public:
  CapturedLog();
  ~CapturedLog();
  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

/// `count` fictional JSON Lines articles with ids "gen-0".."gen-<count-1>".
std::string generated_articles(int count);

}  // namespace clippings::test
