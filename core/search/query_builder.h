/// @file query_builder.h
/// Request parameters to Xapian queries: the parser set up for the schema, the date: syntax,
/// and the outlet and date filters.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "config.h"
#include "result.h"
#include "search/matching.h"
#include "search/multilingual_query.h"
#include "search/query_syntax.h"
#include "search/wildcards.h"
#include "stemming.h"

namespace clippings::search {

/// A parsed `q`.
struct ParsedQuery {
  MatchPlan plan;          ///< how it may match; plan.strict() is `query` unless match_all
  Xapian::Query query;     ///< MatchAll when q has no searchable words
  bool match_all = false;  ///< q had no searchable words (empty, "*", a lone quote)
  std::vector<QueryNote> notes;  ///< what was left open
  std::size_t terms = 0;   ///< terms the query reads, wildcard expansions included
  /// Each language's parse of the parts of q that are marked in hits (not the excluded).
  std::vector<LanguageBranch> branches;
};

/// The first bad date of a parse: what is wrong, and the text that is.
struct DateError {
  std::string message;  ///< empty: no error
  std::string text;
};

/// `date:2022..2023`, `date:2022-11..`, `date:..2022-11-25`: each side a year, month or day.
/// A bad date cannot be reported through the parser, so it is kept in `error` and the parse
/// is failed by QueryBuilder afterwards.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit DateRangeProcessor(DateError& error);
  Xapian::Query operator()(const std::string& begin, const std::string& end) override;

 private:
  DateError& error_;
};

/// `date:2022`, `date:2022-11`, `date:2022-11-25` without a range: the days it covers.
class DateFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit DateFieldProcessor(DateError& error);
  Xapian::Query operator()(const std::string& text) override;

 private:
  DateError& error_;
};

/// The query parser for one Searcher: built once per database handle and reused per query.
class QueryBuilder {
 public:
  /// Parses in each of `languages` with the stemmer its articles were stemmed with
  /// (multilingual_query.h). Spellings come from the dictionary of `spellings`, or of `db`
  /// when it is null. `remote`: see MultilingualParser.
  QueryBuilder(const Xapian::Database& db, const IndexLanguages& languages, const ServerSettings& settings,
               const Xapian::Database* spellings = nullptr, bool remote = false);
  QueryBuilder(const QueryBuilder&) = delete;
  QueryBuilder& operator=(const QueryBuilder&) = delete;

  /// Parses `q`; syntax errors and bad dates are 400 "invalid_query" errors naming "q", with
  /// the position of the mistake. A q expanding to more than server.max_query_terms terms
  /// (every wildcard's expansions together) is a 400 "query_too_complex".
  Result<ParsedQuery> parse(const std::string& q);

  /// `q` with each rare word replaced by the index's nearest spelling; "" when no word is
  /// replaced. Field values are left alone. `absent_only` replaces only words that no article
  /// contains.
  std::string spelling(const std::string& q, bool absent_only) const;

  /// A word the index has seen at least this often, and at least once per this many
  /// articles, is taken as meant and never replaced by a spelling suggestion.
  static constexpr Xapian::termcount kCommonWordUses = 50;
  static constexpr Xapian::doccount kArticlesPerCommonUse = 1000;
  /// Words shorter than this (in code points) are never corrected: one or two letters are a
  /// single edit away from dozens of words.
  static constexpr std::size_t kMinCorrectedLength = 3;

 private:
  /// Xapian's parse of `text` in every language, or the error in terms a reader understands.
  /// The parses of a `marked` text are kept for highlighting (branches_).
  Result<Xapian::Query> parse_text(const std::string& text, const QueryScan& scan,
                                   bool marked = true);
  /// Sets a parser up for the schema and the settings.
  void configure(Xapian::QueryParser& parser, const ServerSettings& settings);
  /// Splits a plain query into its relaxable words and the rest.
  Result<MatchPlan> plain_plan(const QueryScan& scan);
  /// Whether `word` (lower-cased) is one the index uses too often to be a misspelling.
  bool is_common(const std::string& word) const;
  /// Over shards: each wildcard of `parsed` replaced by the words one database expands it to
  /// (`kept`), so that every shard searches and weighs those.
  static void expand_wildcards_once(ParsedQuery& parsed, const KeptWords& kept);

  Xapian::Database db_;
  Xapian::Database spellings_;  ///< whose spelling dictionary suggests
  Xapian::Stem stemmer_;  ///< of the language most articles are in
  std::size_t per_wildcard_;
  std::size_t max_terms_;
  DateError date_error_;
  DateRangeProcessor date_ranges_{date_error_};
  DateFieldProcessor date_field_{date_error_};
  std::unique_ptr<MultilingualParser> languages_;
  std::vector<LanguageBranch> branches_;  ///< of the parse under way
};

/// The names that take a "name:" prefix in q: the free-text fields and date.
std::span<const std::string_view> field_names();

/// Any of the outlets (display names, case-insensitive); nullopt when none is given.
std::optional<Xapian::Query> outlet_filter(const std::vector<std::string>& outlets);

/// The message for a value that is not a year, month or day, naming where it was given.
std::string bad_date_message(std::string_view where, std::string_view text);
/// `text` made safe to quote in a message: valid UTF-8 and at most a few dozen characters.
std::string quote_value(std::string_view text);

}  // namespace clippings::search
