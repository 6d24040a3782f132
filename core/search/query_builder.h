/// @file query_builder.h
/// Request parameters to Xapian queries: the parser set up for the schema, the date: syntax,
/// and the outlet and date filters.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "config.h"
#include "result.h"
#include "search/multilingual_query.h"
#include "stemming.h"

namespace clippings::search {

/// A parsed `q`.
struct ParsedQuery {
  Xapian::Query query;    ///< MatchAll when q has no searchable words
  MultilingualQuery by_language;  ///< `query` per language (the same query, split)
  bool match_all = false; ///< q had no searchable words (empty, "*", a lone quote)
  std::string corrected;  ///< the parser's spelling correction of q; empty when none
};

/// `date:2022..2023`, `date:2022-11..`, `date:..2022-11-25`: each side a year, month or day.
/// A bad date cannot be reported through the parser, so it is kept in `error` and the parse
/// is failed by QueryBuilder afterwards.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit DateRangeProcessor(std::string& error);
  Xapian::Query operator()(const std::string& begin, const std::string& end) override;

 private:
  std::string& error_;
};

/// `date:2022`, `date:2022-11`, `date:2022-11-25` without a range: the days it covers.
class DateFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateFieldProcessor(std::string& error);
  Xapian::Query operator()(const std::string& text) override;

 private:
  std::string& error_;
};

/// The query parser for one Searcher: built once per database handle and reused per query.
class QueryBuilder {
 public:
  /// Parses in each of `languages` with the stemmer its articles were stemmed with.
  QueryBuilder(const Xapian::Database& db, const IndexLanguages& languages,
               const ServerSettings& settings);
  QueryBuilder(const QueryBuilder&) = delete;
  QueryBuilder& operator=(const QueryBuilder&) = delete;

  /// Parses `q`; syntax errors and bad dates are 400 errors naming "q".
  Result<ParsedQuery> parse(const std::string& q);

  /// A word the index has seen at least this often, and at least once per this many
  /// articles, is taken as meant: a query of such words gets no spelling correction.
  static constexpr Xapian::termcount kCommonWordUses = 50;
  static constexpr Xapian::doccount kArticlesPerCommonUse = 1000;

 private:
  /// Whether a free-text word of the parsed query is rare enough to be a misspelling.
  bool has_rare_word(const Xapian::Query& query) const;
  /// The parser's spelling correction of `q`, or "" when its words are common.
  std::string correction(const std::string& q, const Xapian::Query& query);

  /// Sets a parser up for the schema and the settings.
  void configure(Xapian::QueryParser& parser, const ServerSettings& settings);

  Xapian::Database db_;
  std::string date_error_;
  DateRangeProcessor date_ranges_{date_error_};
  DateFieldProcessor date_field_{date_error_};
  Xapian::QueryParser parser_;  ///< for spelling corrections
  std::unique_ptr<MultilingualParser> languages_;
};

/// Any of the outlets (display names, case-insensitive); nullopt when none is given.
std::optional<Xapian::Query> outlet_filter(const std::vector<std::string>& outlets);

/// The message for a value that is not a year, month or day, naming where it was given.
std::string bad_date_message(std::string_view where, std::string_view text);
/// `text` made safe to quote in a message: valid UTF-8 and at most a few dozen characters.
std::string quote_value(std::string_view text);

}  // namespace clippings::search
