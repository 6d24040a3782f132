/// @file highlight.h
/// Escaped text with <mark> around the words a query matches, stemmed forms included.
///
/// Xapian's MSet::snippet() cannot do this for our index: it compares the words of the text
/// with the query's terms and with "Z"-prefixed stems, but with STEM_ALL the query's terms are
/// unprefixed stems, so "meeting" would never mark "meets" (tests/unit/search/test_highlight.cpp
/// shows it). It also leaves quotes unescaped. So words are matched here, by the same stemmer
/// and the same notion of a word as the TermGenerator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <xapian.h>

#include "search/query_terms.h"
#include "stemming.h"

namespace clippings::search {

/// One Highlighter per Searcher: it caches stems, so it is not for sharing between threads.
///
/// Each text is read in its language: its words stemmed as the index stemmed them, and the
/// forms the index keeps beside the stems (accents folded, Cyrillic in Latin letters) matched
/// against the query's terms of those kinds. Chinese, Japanese and Korean characters are words
/// of one character each, marked where the query's characters or pairs of characters stand.
class Highlighter {
 public:
  /// Every text's words go through `stemmer`, whatever its language.
  explicit Highlighter(Xapian::Stem stemmer);
  /// Each text's words go through the stemmer its language's articles were indexed with.
  explicit Highlighter(const IndexLanguages& languages);

  /// About `length` characters of `text` around the closest cluster of the most distinct
  /// matches (the start of the text when nothing matches): escaped, matches marked, runs of
  /// whitespace as one space, "…" where text was cut. `lang` is the text's language.
  std::string snippet(std::string_view text, const TermSet& terms, std::size_t length,
                      const std::string& lang = {});
  /// All of `text`, escaped, matches marked, whitespace kept.
  std::string highlight(std::string_view text, const TermSet& terms, const std::string& lang = {});

 private:
  struct Word {
    std::size_t begin = 0, end = 0;            ///< bytes
    std::size_t char_begin = 0, char_end = 0;  ///< characters
    std::uint32_t match = 0;                   ///< 0, or 1 + the id of what it matched
    bool cjk = false;                          ///< one CJK character
  };
  /// The terms the index has for a word: its stem, and under their prefixes its accent-folded
  /// stem and Latin key when it has them (else empty).
  struct Keys {
    std::string stem, folded, translit;
  };
  /// How the words of one language are read.
  struct Language {
    Xapian::Stem stemmer;
    std::string lang;  ///< for the romanization of Cyrillic words
    bool forms = false;  ///< the index has folded and transliterated forms (scheme 2)
    /// The stemmer keeps a word's first byte, so words can be ruled out unstemmed (Prefilter).
    bool prefilter = false;
    // Looked up for every word that may match: a flat table finds a word in one probe, where
    // std::unordered_map chases a node pointer and its string, cache misses that were a fifth
    // of a search's time.
    absl::flat_hash_map<std::string, Keys> keys;
  };
  struct Analysis {
    std::vector<Word> words;
    bool complete = true;  ///< false when the text goes on past the last word
  };
  struct Window {
    std::size_t first = 0, last = 0;  ///< word indexes, inclusive
  };

  /// The words of `text` with what they match. Stops after the first word that starts beyond
  /// character `stop_after` once something matched; if nothing matched by then, at `window`
  /// characters past the first match.
  Analysis analyse(std::string_view text, const TermSet& terms, std::size_t stop_after,
                   std::size_t window);
  /// The terms the index has for a lower-cased word. Valid until the next call (the cache
  /// may grow and move its entries).
  const Keys& keys(const std::string& lower_word);
  /// The reading of `lang`'s texts, made on first use.
  Language& language(const std::string& lang);
  /// Marks the CJK characters of `words` that the query's CJK terms match (one-character
  /// words: the pairs the index has are matched here, across two of them).
  template <typename IdOf>
  static void mark_cjk(std::string_view text, const TermSet& terms, std::vector<Word>& words,
                       IdOf& id_of);
  static Window window(std::string_view text, const Analysis& analysis, std::size_t length);
  /// Whether word `i` is marked and continues the mark of the word before it.
  static bool joins_previous(const std::vector<Word>& words, std::size_t i);

  std::optional<IndexLanguages> index_;  ///< none: one stemmer for every language
  std::map<std::string, Language> languages_;  ///< by language code
  Language* current_ = nullptr;  ///< the language of the text being read
};

}  // namespace clippings::search
