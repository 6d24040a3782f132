/// @file query_builder.cpp
#include "query_builder.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include <utf8.h>
#include <xapian/unicode.h>

#include <fmt/format.h>

#include "dates.h"
#include "schema.h"
#include "search/budget.h"

namespace clippings::search {
namespace {

// FLAG_DEFAULT is BOOLEAN|PHRASE|LOVEHATE. Not FLAG_BOOLEAN_ANY_CASE: people paste text with
// "and"/"or"/"not" in it and expect those to be words, so only capitals are operators.
// FLAG_PURE_NOT lets "NOT x" and "-x" alone mean "everything but x".
constexpr unsigned kParserFlags = Xapian::QueryParser::FLAG_DEFAULT |
                                  Xapian::QueryParser::FLAG_WILDCARD |
                                  Xapian::QueryParser::FLAG_PURE_NOT;

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
Xapian::Query fail(DateError& error, std::string message, const std::string& text) {
  if (error.message.empty()) error = {std::move(message), text};
  return Xapian::Query::MatchNothing;
}

/// How often the spelling dictionary has seen `word` (0 if never): one seek in its table.
Xapian::termcount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  Xapian::TermIterator it = db.spellings_begin();
  it.skip_to(word);
  return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

Error query_error(std::string message, std::size_t position) {
  Error error = bad_request("invalid_query", std::move(message), "q");
  error.position = position;
  return error;
}

/// Code points of `text` before byte `at`.
std::size_t code_points(std::string_view text, std::size_t at) {
  return static_cast<std::size_t>(utf8::unchecked::distance(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at)));
}

/// Where in q the first token whose value contains `text` (as typed) has it, or where that
/// token starts when `token_start`.
std::size_t position_of(const QueryScan& scan, std::string_view text, std::string_view field = {},
                        bool token_start = false) {
  for (const QueryToken& token : scan.tokens) {
    if (!field.empty() && token.field != field) continue;
    if (const auto at = token.value.find(text); at != std::string_view::npos) {
      return token_start ? token.position : token.value_position + code_points(token.value, at);
    }
  }
  return 0;
}

/// Xapian's complaint about q ("Syntax: <expression> AND <expression>") for a reader, with
/// the position of the operator it is about.
Error describe_parser_error(const Xapian::QueryParserError& e, const QueryScan& scan) {
  const std::string& message = e.get_msg();
  if (message == "Unknown range operation") {
    return query_error("a range needs a field in front: date:2022..2023", position_of(scan, "..", {}, true));
  }
  constexpr std::string_view kSyntax = "Syntax: <expression> ";
  if (message.starts_with(kSyntax)) {
    const std::string op = message.substr(kSyntax.size(), message.find(' ', kSyntax.size()) - kSyntax.size());
    std::size_t position = 0;
    for (const QueryToken& token : scan.tokens) {
      if (token.kind == QueryToken::Kind::kOperator && token.value == op) {
        position = token.position;
        break;
      }
    }
    return query_error(op == "NOT" ? "NOT needs a word after it"
                                   : fmt::format("{} needs a word on both sides", op),
                       position);
  }
  return query_error(fmt::format("the query could not be understood: {}", message), 0);
}

/// The query-syntax name of the title field.
std::string_view title_field() {
  for (const auto& field : schema::kFieldPrefixes) {
    if (field.prefix == schema::kPrefixTitle) return field.field;
  }
  return {};
}

/// `text` with the quote left open at its end closed: the phrase runs to the end of q.
std::string closed(std::string_view text, bool unclosed_quote) {
  std::string result{text};
  if (unclosed_quote) result += '"';
  return result;
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

DateRangeProcessor::DateRangeProcessor(DateError& error)
    : Xapian::RangeProcessor(schema::kSlotDate, std::string{schema::kDateField}),
      error_(error) {}

Xapian::Query DateRangeProcessor::operator()(const std::string& begin, const std::string& end) {
  if (begin.empty() && end.empty()) {
    return fail(error_, "date: give a first or a last date, e.g. date:2022.. or date:..2022-06", "..");
  }
  std::optional<DayRange> first, last;
  if (!begin.empty() && !(first = parse_date_bound(begin))) {
    return fail(error_, bad_date_message("date", begin), begin);
  }
  if (!end.empty() && !(last = parse_date_bound(end))) {
    return fail(error_, bad_date_message("date", end), end);
  }
  if (first && last && first->first > last->last) {
    return fail(error_, fmt::format("date: the range {}..{} ends before it starts",
                                    quote_value(begin), quote_value(end)),
                begin);
  }
  return date_values(first ? first->first : "", last ? last->last : "");
}

DateFieldProcessor::DateFieldProcessor(DateError& error) : error_(error) {}

Xapian::Query DateFieldProcessor::operator()(const std::string& text) {
  auto days = parse_date_bound(text);
  if (!days) return fail(error_, bad_date_message("date", text), text);
  return date_values(days->first, days->last);
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, const IndexLanguages& languages,
                           const ServerSettings& settings, const Xapian::Database* spellings, bool remote)
    : db_(db),
      spellings_(spellings ? *spellings : db),
      per_wildcard_(static_cast<std::size_t>(settings.max_wildcard_expansion)),
      max_terms_(static_cast<std::size_t>(settings.max_query_terms)),
      languages_(std::make_unique<MultilingualParser>(
          db, languages,
          [this, &settings](Xapian::QueryParser& parser) { configure(parser, settings); }, remote)) {
  stemmer_ = languages_->primary_stemmer();
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
  parser.add_boolean_prefix(std::string{field_names().back()}, &date_field_);
}

Result<ParsedQuery> QueryBuilder::parse(const std::string& q) {
  const QueryScan scan = scan_query(q, field_names());
  if (auto problem = find_problem(scan)) return query_error(problem->message, problem->position);
  branches_.clear();
  languages_->begin_query();
  Result<MatchPlan> plan = MatchPlan{};
  if (scan.explicit_syntax()) {
    auto query = parse_text(closed(q, scan.unclosed_quote), scan);
    if (!query) return query.error();
    plan->required = *query;
  } else {
    // A plain query is parsed word by word: over remote shards its words' forms are asked first.
    languages_->look_up_ahead(closed(q, scan.unclosed_quote), kParserFlags);
    plan = plain_plan(scan);
    if (!plan) return plan.error();
  }
  ParsedQuery parsed;
  parsed.plan = std::move(*plan);
  parsed.query = parsed.plan.strict();
  parsed.notes = scan.notes;
  parsed.branches = std::move(branches_);
  if (parsed.query.empty()) {
    parsed.query = Xapian::Query::MatchAll;
    parsed.match_all = true;
  }
  KeptWords kept;
  parsed.terms = count_query_terms(db_, parsed.query, per_wildcard_, max_terms_, db_.size() > 1 ? &kept : nullptr);
  if (parsed.terms > max_terms_) {
    return bad_request("query_too_complex",
                       fmt::format("q: expands to more than {} terms (each wildcard counts the words "
                                   "it matches); use fewer wildcards or longer prefixes",
                                   max_terms_),
                       "q");
  }
  if (!kept.empty()) expand_wildcards_once(parsed, kept);
  return parsed;
}

void QueryBuilder::expand_wildcards_once(ParsedQuery& parsed, const KeptWords& kept) {
  // The parses kept for highlighting (branches) keep their wildcards: a pattern marks every
  // word it starts, as on one database.
  MatchPlan& plan = parsed.plan;
  const auto expand = [&kept](Xapian::Query& query) { query = expand_wildcards(query, kept); };
  expand(plan.required);
  expand(plan.excluded);
  for (Clause& clause : plan.clauses) {
    expand(clause.query);
    expand(clause.title);
  }
  if (!parsed.match_all) parsed.query = plan.strict();
}

Result<Xapian::Query> QueryBuilder::parse_text(const std::string& text, const QueryScan& scan,
                                               bool marked) {
  date_error_ = {};
  Xapian::Query query;
  try {
    MultilingualQuery parsed = languages_->parse(text, kParserFlags);
    query = parsed.query;
    if (marked) {
      branches_.insert(branches_.end(), std::make_move_iterator(parsed.branches.begin()),
                       std::make_move_iterator(parsed.branches.end()));
    }
  } catch (const Xapian::QueryParserError& e) {
    return describe_parser_error(e, scan);
  }
  if (!date_error_.message.empty()) {
    return query_error(date_error_.message, position_of(scan, date_error_.text, "date"));
  }
  return query;
}

Result<MatchPlan> QueryBuilder::plain_plan(const QueryScan& scan) {
  MatchPlan plan;
  std::string required;
  std::vector<Xapian::Query> excluded;
  std::unordered_set<std::string> seen;
  for (const QueryToken& token : scan.tokens) {
    // Only the last token can be a phrase left open.
    const bool open_phrase = scan.unclosed_quote && &token == &scan.tokens.back();
    if (token.sign == '-') {
      auto query = parse_text(closed(token.text.substr(1), open_phrase), scan, /*marked=*/false);
      if (!query) return query.error();
      if (!query->empty()) excluded.push_back(*query);
    } else if (token.sign == '+' || !token.field.empty() || token.kind == QueryToken::Kind::kPhrase) {
      required += ' ';
      required += closed(token.text, open_phrase);
    } else if (token.has_word) {
      auto query = parse_text(std::string{token.text}, scan);
      if (!query) return query.error();
      // A word given twice ("gun control and gun rights") is one word to match.
      if (!query->empty() && seen.insert(query->get_description()).second) {
        auto title = parse_text(fmt::format("{}:{}", title_field(), token.text), scan);
        plan.clauses.push_back({std::string{token.text}, *query, title ? *title : Xapian::Query()});
      }
    }
  }
  if (!required.empty()) {
    auto query = parse_text(required, scan);
    if (!query) return query.error();
    plan.required = *query;
  }
  if (!excluded.empty()) plan.excluded = Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end());
  return plan;
}

bool QueryBuilder::is_common(const std::string& word) const {
  const Xapian::termcount common =
      std::max(kCommonWordUses, db_.get_doccount() / kArticlesPerCommonUse);
  return spelling_frequency(spellings_, word) >= common || db_.get_termfreq(stemmer_(word)) >= common;
}

std::string QueryBuilder::spelling(const std::string& q, bool absent_only) const {
  const QueryScan scan = scan_query(q, field_names());
  std::string corrected;
  std::size_t copied = 0;  // bytes of q already in `corrected`
  for (const QueryToken& token : scan.tokens) {
    const bool text = token.kind == QueryToken::Kind::kWord || token.kind == QueryToken::Kind::kPhrase;
    if (!text || !token.field.empty()) continue;
    // Each run of word characters is a word the index may spell otherwise ("e-mail" is two).
    const auto end = token.value.end();
    auto it = token.value.begin();
    while (it != end) {
      auto next = it;
      if (!Xapian::Unicode::is_wordchar(utf8::unchecked::next(next))) {
        it = next;
        continue;
      }
      const auto start = it;
      std::size_t length = 0;
      for (; it != end && Xapian::Unicode::is_wordchar(utf8::unchecked::peek_next(it)); ++length) {
        utf8::unchecked::next(it);
      }
      if (length < kMinCorrectedLength) continue;
      const std::string word = Xapian::Unicode::tolower(std::string{start, it});
      if (is_common(word)) continue;
      if (absent_only && db_.get_termfreq(stemmer_(word)) > 0) continue;
      const std::string suggestion = spellings_.get_spelling_suggestion(word);
      if (suggestion.empty() || suggestion == word) continue;
      const auto begin = static_cast<std::size_t>(start - q.data());
      corrected.append(q, copied, begin - copied);
      corrected += suggestion;
      copied = static_cast<std::size_t>(it - q.data());
    }
  }
  if (copied == 0) return {};
  corrected.append(q, copied);
  return corrected;
}

std::span<const std::string_view> field_names() {
  static const auto names = [] {
    std::vector<std::string_view> all;
    for (const auto& field : schema::kFieldPrefixes) all.push_back(field.field);
    all.push_back(schema::kDateField.substr(0, schema::kDateField.size() - 1));
    return all;
  }();
  return names;
}

std::optional<Xapian::Query> outlet_filter(const std::vector<std::string>& outlets) {
  if (outlets.empty()) return std::nullopt;
  std::vector<Xapian::Query> terms;
  terms.reserve(outlets.size());
  for (const auto& outlet : outlets) terms.emplace_back(schema::outlet_term(outlet));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace clippings::search
