/// @file helpers.cpp
#include "helpers.h"

#include <doctest/doctest.h>

#include <atomic>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <xapian.h>

#include <fmt/format.h>

#include "schema.h"

namespace clippings::test {

Config index_config(const std::filesystem::path& db) {
  Config config = default_config();
  config.database = db.string();
  config.indexer.threads = 2;
  config.indexer.batch_size = 3;
  return config;
}

IndexStats index(const Config& config, std::vector<std::string> sources, bool prune, bool force) {
  std::atomic<bool> stop{false};
  IndexOptions options;
  options.sources = std::move(sources);
  options.prune = prune;
  options.force = force;
  auto stats = run_indexer(config, options, stop);
  REQUIRE_MESSAGE(stats.ok(), (stats.ok() ? "" : stats.error().message));
  return *stats;
}

std::multiset<std::string> ids_in(const std::filesystem::path& db) {
  std::multiset<std::string> ids;
  Xapian::Database database{db.string()};
  const std::string prefix{schema::kPrefixId};
  for (auto it = database.allterms_begin(prefix); it != database.allterms_end(prefix); ++it) {
    // Each id once per document that holds it: a duplicate shows as a repeated id.
    for (Xapian::doccount i = 0; i < it.get_termfreq(); ++i) ids.insert((*it).substr(prefix.size()));
  }
  return ids;
}

std::set<std::string> sources_matching(const std::filesystem::path& db, const std::string& query) {
  Xapian::Database database{db.string()};
  Xapian::QueryParser parser;
  parser.set_database(database);
  parser.set_stemmer(Xapian::Stem{"en"});
  parser.set_stemming_strategy(schema::kQueryStemming);
  for (const auto& field : schema::kFieldPrefixes) {
    parser.add_prefix(std::string{field.field}, std::string{field.prefix});
  }
  Xapian::Enquire enquire{database};
  enquire.set_query(parser.parse_query(
      query, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE));
  std::set<std::string> sources;
  const Xapian::MSet hits = enquire.get_mset(0, database.get_doccount());
  for (auto hit = hits.begin(); hit != hits.end(); ++hit) {
    sources.insert(hit.get_document().get_value(schema::kSlotSource));
  }
  return sources;
}

OutletCount outlet_count(const std::filesystem::path& db, const std::string& outlet) {
  Xapian::Database database{db.string()};
  OutletCount count;
  for (auto it = database.valuestream_begin(schema::kSlotOutlet);
       it != database.valuestream_end(schema::kSlotOutlet); ++it) {
    if (*it == outlet) ++count.values;
  }
  count.term_frequency = database.get_termfreq(schema::outlet_term(outlet));
  return count;
}

long doccount_of(const std::filesystem::path& db) {
  try {
    return static_cast<long>(Xapian::Database{db.string()}.get_doccount());
  } catch (const Xapian::Error&) {
    return -1;
  }
}

CapturedLog::CapturedLog() : previous_(spdlog::default_logger()) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
  auto logger = std::make_shared<spdlog::logger>("captured", sink);
  logger->set_pattern("%l %v");
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

CapturedLog::~CapturedLog() { spdlog::set_default_logger(previous_); }

std::string generated_articles(int count) {
  static const char* const kTowns[] = {"Port Vessa", "Lindmoor", "Tidewater", "Alder Cross"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    const char* town = kTowns[i % 4];
    out += fmt::format(
        R"({{"id": "gen-{0}", "title": "Council of {1} meets, session {0}", )"
        R"("outlet": "The {1} Bulletin", "date": "2020-01-{2:02}", )"
        R"("text": "The council of {1} met for session {0} and discussed the bridge, the )"
        R"(library hours and the spring market. Residents asked about the ferry timetable."}})"
        "\n",
        i, town, i % 28 + 1);
  }
  return out;
}

}  // namespace clippings::test
