/// @file multilingual_query.h
/// A query in every language the index holds: parsed once per stemmer its languages use,
/// each word widened to the forms the index keeps beside its stem, and the parses combined.
///
/// "матери" must find the Russian article whose words went through the Russian stemmer, and
/// "mothers" the English ones: so the query is parsed with each language's stemmer, and each
/// parse searches the articles in its languages only (the French stem of an English word is
/// no evidence of anything in an English article). Then each plain word (not a field, not a
/// wildcard) also matches:
///  - its accent-folded form ("cafe" finds "café" through schema::kPrefixFolded, "café" finds
///    "cafe" through the plain stem);
///  - in Latin letters, the Cyrillic words spelt so (schema::kPrefixTranslit: "Tsukanova"
///    finds "Цуканова"); in Cyrillic, the Latin spellings English news uses ("Путин" finds
///    "Putin");
/// and an article that has the word exactly as typed (schema::kPrefixExact) weighs more.
/// Only forms the index has are added: an English query on an English index stays as plain
/// as it was parsed, which is what keeps it fast (term_matches.h).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "search/query_terms.h"
#include "stemming.h"

namespace clippings::search {

/// One parse of a query: the languages whose stemmer it used and what it matches.
struct LanguageBranch {
  std::vector<std::string> langs;  ///< language codes; empty: every language (one parse)
  Xapian::Query query;             ///< without the language filter
  /// It also searches the articles in languages no other branch names (see combine()).
  bool main = false;
};

/// A query as every language's parser read it.
struct MultilingualQuery {
  /// What every branch matches, each within its languages.
  Xapian::Query query;
  std::vector<LanguageBranch> branches;
};

/// Articles in any of `langs` (language codes).
Xapian::Query language_filter(const std::vector<std::string>& langs);

/// The words a query marks in an article (query_terms.h), as its language's parses have them.
class LanguageTerms {
 public:
  /// No terms: nothing is marked.
  LanguageTerms() = default;
  /// From the branches of every part of a query (a query may be parsed in parts: a word at a
  /// time): an article is marked with the terms of the branches that searched its language.
  explicit LanguageTerms(const std::vector<LanguageBranch>& branches);

  /// The terms for an article in `lang`.
  const QueryTerms& of(const std::string& lang) const;

 private:
  std::map<std::string, QueryTerms> by_lang_;  ///< languages some branch names
  QueryTerms others_;  ///< for languages no branch names: the main branches' terms
};

/// The parsers of one database. Not thread-safe (Xapian's parsers are not).
class MultilingualParser {
 public:
  /// `configure` sets a parser up as the caller's own (field prefixes, range processors,
  /// default operator, wildcard limits): it is called once for each language's parser.
  /// When `db` joins `remote` shards, which word forms they have is asked as one query
  /// (search::terms_in_any).
  MultilingualParser(const Xapian::Database& db, IndexLanguages languages,
                     const std::function<void(Xapian::QueryParser&)>& configure,
                     bool remote = false);
  ~MultilingualParser();
  MultilingualParser(const MultilingualParser&) = delete;
  MultilingualParser& operator=(const MultilingualParser&) = delete;

  /// Starts a query: forgets which word forms the index had for the last one (each parse
  /// looks up those it needs, all at once, and keeps them until the next query).
  void begin_query();
  /// Over remote shards, where a lookup is a round trip, looks up at once every form the words
  /// of `text` (a query about to be parsed piece by piece) may need, so that its parses ask
  /// nothing more; over a local index, nothing.
  void look_up_ahead(const std::string& text, unsigned flags);

  /// Parses `text` with `flags` (schema::kQueryFlags are added) in every language. Throws
  /// Xapian::QueryParserError as QueryParser::parse_query does.
  MultilingualQuery parse(const std::string& text, unsigned flags);

  /// Calls `fn` on every language's parser (to change a setting for the next parse).
  void for_each_parser(const std::function<void(Xapian::QueryParser&)>& fn);

  const IndexLanguages& languages() const { return languages_; }
  /// The stemmer of the language most articles are in.
  const Xapian::Stem& primary_stemmer() const;

 private:
  struct Parse;
  struct WordForms;
  struct FormLookup;
  /// `query` with its plain words widened; nullopt when nothing in it changed. While `lookup`
  /// is gathering, only records the word forms to look up (and returns nullopt); then the
  /// forms forms_known_ says the index has are added.
  std::optional<Xapian::Query> widen(const Xapian::Query& query, Parse& parse, bool positional,
                                     FormLookup& lookup);
  std::optional<Xapian::Query> widen_term(const std::string& term, Parse& parse, bool positional,
                                          FormLookup& lookup);
  /// `text` parsed in every language, its plain words' forms gathered into `lookup`.
  std::vector<Xapian::Query> parse_gathering(const std::string& text, unsigned flags, FormLookup& lookup);
  /// The forms `term` (a stem of `parse`) may take in the index, whether it has them or not.
  WordForms word_forms(const std::string& term, Parse& parse, bool positional);
  /// Keys under kPrefixTranslit that a Latin word may have in `parse`'s languages.
  std::vector<std::string> translit_keys(const std::string& word, Parse& parse);
  /// Latin spellings of a Cyrillic word, as `parse`'s stemmer stems them.
  std::vector<std::string> latin_spellings(const std::string& word, Parse& parse);
  /// For each of `terms`, whether the index has it.
  std::vector<char> present(const std::vector<std::string>& terms) const;
  /// Adds to forms_known_ whether the index has each of `forms` not known yet.
  void look_up(std::vector<std::string> forms);
  /// Combines the parses (see MultilingualQuery).
  MultilingualQuery combine(std::vector<LanguageBranch> parsed) const;

  Xapian::Database db_;
  bool remote_;
  IndexLanguages languages_;
  std::vector<std::unique_ptr<Parse>> parses_;
  Xapian::Stem russian_;  ///< Cyrillic query words' stems, for their Latin spellings
  bool has_exact_ = false, has_folded_ = false, has_translit_ = false;
  /// Whether the index has each word form looked up since begin_query.
  std::unordered_map<std::string, bool> forms_known_;
};

}  // namespace clippings::search
