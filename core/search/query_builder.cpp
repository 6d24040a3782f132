/// @file query_builder.cpp
#include "query_builder.h"

#include <algorithm>
#include <cctype>

#include <utf8.h>
#include <xapian/unicode.h>

#include <fmt/format.h>

#include "dates.h"
#include "schema.h"

namespace clippings::search {
namespace {

// FLAG_DEFAULT is BOOLEAN|PHRASE|LOVEHATE. Not FLAG_BOOLEAN_ANY_CASE: people paste text with
// "and"/"or"/"not" in it and expect those to be words, so only capitals are operators.
// FLAG_PURE_NOT lets "NOT x" and "-x" alone mean "everything but x".
constexpr unsigned kParserFlags = Xapian::QueryParser::FLAG_DEFAULT |
                                  Xapian::QueryParser::FLAG_WILDCARD |
                                  Xapian::QueryParser::FLAG_PURE_NOT;
// Spelling correction reads the spelling fragments of every word of q whether it is misspelt
// or not, about a millisecond a query: so it runs in a second parse, only for queries with a
// rare word (QueryBuilder::correction).
constexpr unsigned kCorrectingFlags = kParserFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION;

constexpr std::size_t kMaxQuotedChars = 40;

/// The values of kSlotDate covering `first`..`last` ("YYYY-MM-DD", either may be empty).
Xapian::Query date_values(const std::string& first, const std::string& last) {
  using Xapian::Query;
  if (first.empty()) return Query(Query::OP_VALUE_LE, schema::kSlotDate, schema::date_value(last));
  if (last.empty()) return Query(Query::OP_VALUE_GE, schema::kSlotDate, schema::date_value(first));
  return Query(Query::OP_VALUE_RANGE, schema::kSlotDate, schema::date_value(first),
               schema::date_value(last));
}

/// Records the first error of a parse and gives the parser a query that matches nothing.
Xapian::Query fail(std::string& error, std::string message) {
  if (error.empty()) error = std::move(message);
  return Xapian::Query::MatchNothing;
}

/// How often the spelling dictionary has seen `word` (0 if never): one seek in its table.
Xapian::termcount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  Xapian::TermIterator it = db.spellings_begin();
  it.skip_to(word);
  return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

std::string describe_parser_error(const Xapian::QueryParserError& e) {
  // Xapian's wording for "1..2" with no field in front is cryptic to a reader of the API.
  if (e.get_msg() == "Unknown range operation") {
    return "a range needs a field in front: date:2022..2023";
  }
  return e.get_msg();
}

/// "-x -y" as "x OR y" when every word of q is excluded: Xapian 1.4 parses a lone "-x" as "x",
/// the opposite of what was asked. Quoted phrases are left to the parser.
std::optional<std::string> only_excluded(const std::string& q) {
  std::string positive;
  std::size_t i = 0;
  while (i < q.size()) {
    while (i < q.size() && std::isspace(static_cast<unsigned char>(q[i]))) ++i;
    if (i == q.size()) break;
    std::size_t end = i;
    while (end < q.size() && !std::isspace(static_cast<unsigned char>(q[end]))) ++end;
    const std::string_view word{q.data() + i, end - i};
    if (word.front() != '-' || word.find('"') != std::string_view::npos) return std::nullopt;
    const auto rest = word.substr(std::min(word.find_first_not_of('-'), word.size()));
    if (!rest.empty()) {
      if (!positive.empty()) positive += " OR ";
      positive += rest;
    }
    i = end;
  }
  if (positive.empty()) return std::nullopt;
  return positive;
}

}  // namespace

std::string quote_value(std::string_view text) {
  std::string safe;
  utf8::replace_invalid(text.begin(), text.end(), std::back_inserter(safe));
  auto end = safe.begin();
  std::size_t chars = 0;
  while (end != safe.end() && chars < kMaxQuotedChars) {
    utf8::next(end, safe.end());
    ++chars;
  }
  if (end == safe.end()) return fmt::format("'{}'", safe);
  return fmt::format("'{}…'", std::string_view(safe.data(), end - safe.begin()));
}

std::string bad_date_message(std::string_view where, std::string_view text) {
  return fmt::format("{}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {}", where,
                     quote_value(text));
}

DateRangeProcessor::DateRangeProcessor(std::string& error)
    : Xapian::RangeProcessor(schema::kSlotDate, std::string{schema::kDateField}),
      error_(error) {}

Xapian::Query DateRangeProcessor::operator()(const std::string& begin, const std::string& end) {
  if (begin.empty() && end.empty()) {
    return fail(error_, "date: give a first or a last date, e.g. date:2022.. or date:..2022-06");
  }
  std::optional<DayRange> first, last;
  if (!begin.empty() && !(first = parse_date_bound(begin))) {
    return fail(error_, bad_date_message("date", begin));
  }
  if (!end.empty() && !(last = parse_date_bound(end))) {
    return fail(error_, bad_date_message("date", end));
  }
  if (first && last && first->first > last->last) {
    return fail(error_, fmt::format("date: the range {}..{} ends before it starts",
                                    quote_value(begin), quote_value(end)));
  }
  return date_values(first ? first->first : "", last ? last->last : "");
}

DateFieldProcessor::DateFieldProcessor(std::string& error) : error_(error) {}

Xapian::Query DateFieldProcessor::operator()(const std::string& text) {
  auto days = parse_date_bound(text);
  if (!days) return fail(error_, bad_date_message("date", text));
  return date_values(days->first, days->last);
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, const IndexLanguages& languages,
                           const ServerSettings& settings)
    : db_(db) {
  configure(parser_, settings);
  parser_.set_database(db);
  parser_.set_stemmer(word_stemmer(languages.default_stemmer));
  parser_.set_stemming_strategy(schema::kQueryStemming);
  languages_ = std::make_unique<MultilingualParser>(
      db, languages, [this, &settings](Xapian::QueryParser& parser) { configure(parser, settings); });
}

void QueryBuilder::configure(Xapian::QueryParser& parser, const ServerSettings& settings) {
  // News searchers add words to narrow a result list, as every web search engine taught them;
  // OR would rank but never shrink the list.
  parser.set_default_op(Xapian::Query::OP_AND);
  // A broad pattern like "s*" keeps working on its most frequent expansions instead of
  // failing: a search box should not turn a short prefix into an error.
  parser.set_max_expansion(settings.max_wildcard_expansion,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const auto& field : schema::kFieldPrefixes) {
    parser.add_prefix(std::string{field.field}, std::string{field.prefix});
  }
  parser.add_rangeprocessor(&date_ranges_);
  std::string date_name{schema::kDateField};
  date_name.pop_back();  // "date:" -> "date"
  parser.add_boolean_prefix(date_name, &date_field_);
}

Result<ParsedQuery> QueryBuilder::parse(const std::string& q) {
  date_error_.clear();
  ParsedQuery parsed;
  const auto excluded = only_excluded(q);
  try {
    parsed.by_language = languages_->parse(excluded ? *excluded : q, kParserFlags);
    parsed.query = parsed.by_language.query;
  } catch (const Xapian::QueryParserError& e) {
    return bad_request("invalid_query", describe_parser_error(e), "q");
  }
  if (!date_error_.empty()) return bad_request("invalid_query", date_error_, "q");
  if (excluded) {
    parsed.query = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, parsed.query);
    parsed.by_language = {parsed.query, {}};
    return parsed;
  }
  parsed.corrected = correction(q, parsed.query);
  if (parsed.query.empty()) {
    parsed.query = Xapian::Query::MatchAll;
    parsed.by_language = {parsed.query, {}};
    parsed.match_all = true;
  }
  return parsed;
}

bool QueryBuilder::has_rare_word(const Xapian::Query& query) const {
  const Xapian::termcount common =
      std::max(kCommonWordUses, db_.get_doccount() / kArticlesPerCommonUse);
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    const std::string term = *it;
    // The parser corrects free-text words only: field and filter terms start with a capital.
    if (term.empty() || std::isupper(static_cast<unsigned char>(term[0]))) continue;
    // The query holds stems, the spelling dictionary lower-cased words: the parser remembers
    // which words (as typed) gave each stem.
    Xapian::QueryParser& parser = languages_->primary();
    for (auto word = parser.unstem_begin(term); word != parser.unstem_end(term); ++word) {
      if (spelling_frequency(db_, Xapian::Unicode::tolower(*word)) < common) return true;
    }
  }
  return false;
}

std::string QueryBuilder::correction(const std::string& q, const Xapian::Query& query) {
  if (!has_rare_word(query)) return {};
  // The same text parsed a moment ago: it cannot fail to parse now.
  parser_.parse_query(q, kCorrectingFlags);
  return parser_.get_corrected_query_string();
}

std::optional<Xapian::Query> outlet_filter(const std::vector<std::string>& outlets) {
  if (outlets.empty()) return std::nullopt;
  std::vector<Xapian::Query> terms;
  terms.reserve(outlets.size());
  for (const auto& outlet : outlets) terms.emplace_back(schema::outlet_term(outlet));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace clippings::search
