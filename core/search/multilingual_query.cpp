/// @file multilingual_query.cpp
#include "search/multilingual_query.h"

#include <algorithm>
#include <map>

#include <xapian/unicode.h>

#include "schema.h"
#include "search/shards.h"
#include "text/folding.h"
#include "text/transliteration.h"

namespace clippings::search {
namespace {

using Xapian::Query;

bool is_field_term(const std::string& term) {
  return !term.empty() && term[0] >= 'A' && term[0] <= 'Z';
}

/// The window of a PHRASE or NEAR query, which Xapian 1.4 shows only in its description:
/// "Query((a@1 PHRASE 2 b@2))".
Xapian::termcount window_of(const Query& query) {
  const std::string description = query.get_description();
  const std::string op = query.get_type() == Query::OP_PHRASE ? " PHRASE " : " NEAR ";
  const auto at = description.find(op);
  if (at == std::string::npos) return 0;
  return static_cast<Xapian::termcount>(std::strtoul(description.c_str() + at + op.size(), nullptr, 10));
}

/// Letters only Ukrainian and Belarusian write: і, ї, є, ґ and ў (both cases).
std::vector<std::string> romanization_languages(const std::string& word) {
  std::vector<std::string> langs{"ru"};
  for (std::string_view letter : {"і", "ї", "є", "ґ", "І", "Ї", "Є", "Ґ"}) {
    if (word.find(letter) != std::string::npos) {
      langs.emplace_back("uk");
      break;
    }
  }
  if (word.find("ў") != std::string::npos || word.find("Ў") != std::string::npos) langs.emplace_back("be");
  return langs;
}

bool has_prefix(const Xapian::Database& db, std::string_view prefix) {
  const std::string p{prefix};
  return db.allterms_begin(p) != db.allterms_end(p);
}

}  // namespace

Query language_filter(const std::vector<std::string>& langs) {
  std::vector<Query> terms;
  for (const auto& lang : langs) terms.emplace_back(schema::boolean_term(schema::kPrefixLang, lang));
  return Query(Query::OP_OR, terms.begin(), terms.end());
}

/// One language's (or several sharing a stemmer) parser.
struct MultilingualParser::Parse {
  std::vector<std::string> langs;
  Xapian::doccount articles = 0;
  Xapian::Stem stem;
  Xapian::QueryParser parser;
  /// The stemmer strips Cyrillic endings (Russian's): a Latin word is then read back into
  /// Cyrillic and stemmed before it is keyed, as the index keyed the stems.
  bool stems_cyrillic = false;
  std::string romanization;  ///< the language whose BGN scheme its Cyrillic words were keyed by
};

MultilingualParser::MultilingualParser(const Xapian::Database& db, IndexLanguages languages,
                                       const std::function<void(Xapian::QueryParser&)>& configure,
                                       bool remote)
    : db_(db),
      remote_(remote),
      languages_(std::move(languages)),
      russian_(word_stemmer("russian")) {
  // Languages grouped by stemmer: each group is one parse.
  std::map<std::string, std::unique_ptr<Parse>> by_stemmer;
  for (const auto& [lang, stemmer] : languages_.stemmers) {
    auto& parse = by_stemmer[stemmer];
    if (!parse) parse = std::make_unique<Parse>();
    parse->langs.push_back(lang);
    parse->articles += languages_.articles[lang];
  }
  if (by_stemmer.empty()) by_stemmer[languages_.default_stemmer] = std::make_unique<Parse>();
  for (auto& [name, parse] : by_stemmer) {
    // Scheme 1 stemmed words as they were; scheme 2 folds them first (stemming.h).
    parse->stem = languages_.scheme >= 2 ? word_stemmer(name)
                                         : (name == "none" ? Xapian::Stem{} : Xapian::Stem{name});
    configure(parse->parser);
    parse->parser.set_database(db_);
    parse->parser.set_stemmer(parse->stem);
    parse->parser.set_stemming_strategy(schema::kQueryStemming);
    parse->stems_cyrillic = parse->stem("матерями") != "матерями";
    parse->romanization = parse->langs.size() == 1 ? parse->langs.front() : "ru";
    parses_.push_back(std::move(parse));
  }
  // The most common language first: it is the one searched without a filter (combine()).
  std::stable_sort(parses_.begin(), parses_.end(),
                   [](const auto& a, const auto& b) { return a->articles > b->articles; });
  if (languages_.scheme >= 2) {
    has_exact_ = has_prefix(db_, schema::kPrefixExact);
    has_folded_ = has_prefix(db_, schema::kPrefixFolded);
    has_translit_ = has_prefix(db_, schema::kPrefixTranslit);
  }
}

MultilingualParser::~MultilingualParser() = default;

void MultilingualParser::for_each_parser(const std::function<void(Xapian::QueryParser&)>& fn) {
  for (auto& parse : parses_) fn(parse->parser);
}

const Xapian::Stem& MultilingualParser::primary_stemmer() const { return parses_.front()->stem; }

/// The forms of a plain word other than itself: in its own script, or folded or transliterated.
struct MultilingualParser::WordForms {
  std::vector<std::string> forms;
  std::vector<char> in_own_script;
};

/// Widening runs twice over a parse: gathering each plain word's forms, in the order it meets
/// the words, then, once the index was asked which it has, building from them in that order.
struct MultilingualParser::FormLookup {
  bool gathering = true;
  std::vector<WordForms> words;
  std::size_t built = 0;  ///< words the building pass has taken

  std::vector<std::string> all_forms() const {
    std::vector<std::string> all;
    for (const WordForms& word : words) all.insert(all.end(), word.forms.begin(), word.forms.end());
    return all;
  }
};

void MultilingualParser::begin_query() { forms_known_.clear(); }

void MultilingualParser::look_up_ahead(const std::string& text, unsigned flags) {
  // A local index answers a word's lookup in microseconds: only remote shards are worth
  // asking ahead, about every word at once.
  if (!remote_) return;
  FormLookup lookup;
  try {
    parse_gathering(text, flags, lookup);
  } catch (const Xapian::QueryParserError&) {
    return;  // the parse proper reports it
  }
  look_up(lookup.all_forms());
}

std::vector<Query> MultilingualParser::parse_gathering(const std::string& text, unsigned flags,
                                                       FormLookup& lookup) {
  std::vector<Query> queries;
  for (auto& parse : parses_) {
    queries.push_back(parse->parser.parse_query(text, flags | schema::kQueryFlags));
    widen(queries.back(), *parse, false, lookup);
  }
  return queries;
}

void MultilingualParser::look_up(std::vector<std::string> forms) {
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  std::erase_if(forms, [this](const std::string& form) { return forms_known_.contains(form); });
  const std::vector<char> found = present(forms);
  for (std::size_t i = 0; i < forms.size(); ++i) forms_known_.emplace(std::move(forms[i]), found[i] != 0);
}

MultilingualQuery MultilingualParser::parse(const std::string& text, unsigned flags) {
  FormLookup lookup;
  const std::vector<Query> queries = parse_gathering(text, flags, lookup);
  look_up(lookup.all_forms());  // none left, mostly, when look_up_ahead asked
  lookup.gathering = false;
  std::vector<LanguageBranch> parsed;
  for (std::size_t i = 0; i < parses_.size(); ++i) {
    parsed.push_back({parses_[i]->langs, widen(queries[i], *parses_[i], false, lookup).value_or(queries[i])});
  }
  return combine(std::move(parsed));
}

MultilingualQuery MultilingualParser::combine(std::vector<LanguageBranch> parsed) const {
  // Languages whose parses came out the same are one branch.
  std::vector<LanguageBranch> branches;
  std::vector<std::string> descriptions;
  for (auto& branch : parsed) {
    const std::string description = branch.query.get_description();
    auto same = std::find(descriptions.begin(), descriptions.end(), description);
    if (same == descriptions.end()) {
      descriptions.push_back(description);
      branches.push_back(std::move(branch));
    } else {
      auto& langs = branches[static_cast<std::size_t>(same - descriptions.begin())].langs;
      langs.insert(langs.end(), branch.langs.begin(), branch.langs.end());
    }
  }
  MultilingualQuery out;
  branches.front().main = true;
  if (branches.size() == 1) {
    branches.front().langs.clear();  // every language: no filter
    out.query = branches.front().query;
  } else {
    // The first branch (the most common language's) takes every article not in another
    // branch's languages, articles without a language too: excluding the few is cheaper than
    // filtering to the many.
    std::vector<std::string> others;
    for (std::size_t i = 1; i < branches.size(); ++i) {
      others.insert(others.end(), branches[i].langs.begin(), branches[i].langs.end());
    }
    std::vector<Query> parts{Query(Query::OP_AND_NOT, branches.front().query, language_filter(others))};
    for (std::size_t i = 1; i < branches.size(); ++i) {
      parts.emplace_back(Query::OP_FILTER, branches[i].query, language_filter(branches[i].langs));
    }
    out.query = Query(Query::OP_OR, parts.begin(), parts.end());
  }
  out.branches = std::move(branches);
  return out;
}

namespace {

void merge(TermSet& into, const TermSet& from) {
  into.words.insert(from.words.begin(), from.words.end());
  into.patterns.insert(into.patterns.end(), from.patterns.begin(), from.patterns.end());
  into.phrases.insert(into.phrases.end(), from.phrases.begin(), from.phrases.end());
}

void merge(QueryTerms& into, const QueryTerms& from) {
  merge(into.body, from.body);
  merge(into.title, from.title);
}

}  // namespace

LanguageTerms::LanguageTerms(const std::vector<LanguageBranch>& branches) {
  std::vector<std::pair<const LanguageBranch*, QueryTerms>> terms;
  for (const auto& branch : branches) {
    terms.emplace_back(&branch, query_terms(branch.query));
    for (const auto& lang : branch.langs) by_lang_.try_emplace(lang);
  }
  for (const auto& [branch, branch_terms] : terms) {
    const bool everywhere = branch->langs.empty();
    if (everywhere || branch->main) merge(others_, branch_terms);
    for (auto& [lang, lang_terms] : by_lang_) {
      const auto& langs = branch->langs;
      if (everywhere || std::find(langs.begin(), langs.end(), lang) != langs.end()) {
        merge(lang_terms, branch_terms);
      }
    }
  }
}

const QueryTerms& LanguageTerms::of(const std::string& lang) const {
  const auto found = by_lang_.find(lang);
  return found == by_lang_.end() ? others_ : found->second;
}

std::optional<Query> MultilingualParser::widen(const Query& query, Parse& parse, bool positional,
                                               FormLookup& lookup) {
  const Query::op op = query.get_type();
  switch (op) {
    case Query::LEAF_TERM:
      return widen_term(*query.get_terms_begin(), parse, positional, lookup);
    case Query::OP_AND: case Query::OP_OR: case Query::OP_AND_NOT: case Query::OP_XOR:
    case Query::OP_AND_MAYBE: case Query::OP_FILTER: case Query::OP_SYNONYM: case Query::OP_MAX:
    case Query::OP_PHRASE: case Query::OP_NEAR: {
      const bool in_phrase = op == Query::OP_PHRASE || op == Query::OP_NEAR;
      std::vector<Query> subqueries;
      bool changed = false;
      for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
        const Query sub = query.get_subquery(i);
        auto widened = widen(sub, parse, positional || in_phrase, lookup);
        changed |= widened.has_value();
        subqueries.push_back(widened ? std::move(*widened) : sub);
      }
      if (!changed) return std::nullopt;
      if (!in_phrase) return Query(op, subqueries.begin(), subqueries.end());
      // A phrase of other forms weighs as much as its terms do; the phrase as written adds its
      // weight where it stands, so that articles in the query's own script rank first.
      return Query(Query::OP_AND_MAYBE,
                   Query(op, subqueries.begin(), subqueries.end(), window_of(query)), query);
    }
    default:
      // Wildcards, value ranges, MatchAll: nothing to widen.
      return std::nullopt;
  }
}

std::optional<Query> MultilingualParser::widen_term(const std::string& term, Parse& parse,
                                                    bool positional, FormLookup& lookup) {
  if (term.empty() || is_field_term(term)) return std::nullopt;
  if (lookup.gathering) {
    lookup.words.push_back(word_forms(term, parse, positional));
    return std::nullopt;
  }
  WordForms& word = lookup.words.at(lookup.built++);
  // `same` match the word in the article's own script and weigh fully; `other` match it
  // folded or transliterated. Only terms the index has are added.
  std::vector<std::string> same{term}, other;
  for (std::size_t i = 0; i < word.forms.size(); ++i) {
    const auto known = forms_known_.find(word.forms[i]);
    if (known == forms_known_.end() || !known->second) continue;
    (word.in_own_script[i] ? same : other).push_back(std::move(word.forms[i]));
  }
  if (same.size() == 1 && other.empty()) return std::nullopt;
  const auto queries = [](const std::vector<std::string>& terms) {
    std::vector<Query> out;
    for (const auto& t : terms) out.emplace_back(t);
    return out;
  };
  const std::vector<Query> own = queries(same);
  std::vector<Query> all = own;
  for (auto& q : queries(other)) all.push_back(std::move(q));
  // In a phrase every term needs positions, and exact forms have none (and are left out).
  if (positional) return Query(Query::OP_OR, all.begin(), all.end());
  const Query own_script(Query::OP_OR, own.begin(), own.end());
  if (other.empty()) return own_script;
  // Matches any form, weighed as one word (so a rare transliteration does not outweigh a
  // common word), plus the weight of the forms in the article's own script: those rank first.
  return Query(Query::OP_AND_MAYBE, Query(Query::OP_SYNONYM, all.begin(), all.end()), own_script);
}

MultilingualParser::WordForms MultilingualParser::word_forms(const std::string& term, Parse& parse,
                                                             bool positional) {
  WordForms word;
  const auto add = [&](bool same_script, std::string candidate) {
    if (candidate.empty() || candidate.size() > schema::kMaxTermBytes || candidate == term) return;
    if (std::find(word.forms.begin(), word.forms.end(), candidate) != word.forms.end()) return;
    word.forms.push_back(std::move(candidate));
    word.in_own_script.push_back(same_script);
  };
  if (has_folded_) {
    const std::string folded = text::accent_fold(term);
    add(false, std::string{schema::kPrefixFolded} + folded);
    if (folded != term) add(false, folded);
  }
  for (auto typed = parse.parser.unstem_begin(term); typed != parse.parser.unstem_end(term); ++typed) {
    // The words as typed; the index has them lower-cased.
    const std::string w = Xapian::Unicode::tolower(*typed);
    if (has_exact_ && !positional && !text::is_ascii(w) && !text::starts_cjk(w)) {
      add(true, std::string{schema::kPrefixExact} + w);
    }
    if (has_translit_ && text::is_latin_word(w)) {
      for (auto& key : translit_keys(w, parse)) add(false, std::string{schema::kPrefixTranslit} + key);
    }
    if (text::has_cyrillic(w)) {
      for (auto& spelling : latin_spellings(w, parse)) add(false, std::move(spelling));
    }
  }
  return word;
}

std::vector<char> MultilingualParser::present(const std::vector<std::string>& terms) const {
  if (remote_) return terms_in_any(db_, terms);
  std::vector<char> found;
  found.reserve(terms.size());
  for (const std::string& term : terms) found.push_back(db_.term_exists(term));
  return found;
}

std::vector<std::string> MultilingualParser::translit_keys(const std::string& word, Parse& parse) {
  const std::string latin = text::accent_fold(word);
  std::vector<std::string> keys{text::translit_key(latin)};
  if (parse.stems_cyrillic) {
    // As the index keyed a Cyrillic word: its stem, romanized ("tsukanova" -> "цуканова" ->
    // "цуканов" -> "tsukanov").
    std::string key = text::translit_key(
        text::romanize(parse.stem(text::cyrillize(latin)), parse.romanization));
    if (key != keys.front()) keys.push_back(std::move(key));
  }
  return keys;
}

std::vector<std::string> MultilingualParser::latin_spellings(const std::string& word, Parse& parse) {
  const std::string form = text::stem_form(word);
  std::vector<std::string> forms{form};
  // An inflected name ("Путина") is spelt in English as its stem is ("Putin").
  if (std::string stem = russian_(form); stem != form) forms.push_back(std::move(stem));
  std::vector<std::string> spellings;
  for (const auto& f : forms) {
    for (const auto& lang : romanization_languages(word)) {
      for (auto& variant : text::spelling_variants(text::romanize(f, lang))) {
        std::string stemmed = parse.stem(variant);
        if (std::find(spellings.begin(), spellings.end(), stemmed) == spellings.end()) {
          spellings.push_back(std::move(stemmed));
        }
      }
    }
  }
  return spellings;
}

}  // namespace clippings::search
