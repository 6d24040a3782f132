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
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <xapian.h>

#include "search/query_terms.h"

namespace clippings::search {

/// One Highlighter per Searcher: it caches stems, so it is not for sharing between threads.
class Highlighter {
 public:
  explicit Highlighter(Xapian::Stem stemmer);

  /// About `length` characters of `text` around the closest cluster of the most distinct
  /// matches (the start of the text when nothing matches): escaped, matches marked, runs of
  /// whitespace as one space, "…" where text was cut.
  std::string snippet(std::string_view text, const TermSet& terms, std::size_t length);
  /// All of `text`, escaped, matches marked, whitespace kept.
  std::string highlight(std::string_view text, const TermSet& terms);

 private:
  struct Word {
    std::size_t begin = 0, end = 0;            ///< bytes
    std::size_t char_begin = 0, char_end = 0;  ///< characters
    std::uint32_t match = 0;                   ///< 0, or 1 + the id of what it matched
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
  /// The term the index has for a lower-cased word: its stem, or itself if not stemmed.
  /// Valid until the next call (the cache may grow and move its entries).
  const std::string& stem(const std::string& lower_word);
  static Window window(std::string_view text, const Analysis& analysis, std::size_t length);

  Xapian::Stem stemmer_;
  // Looked up for every word that may match: a flat table finds a word in one probe, where
  // std::unordered_map chases a node pointer and its string, cache misses that were a fifth
  // of a search's time.
  absl::flat_hash_map<std::string, std::string> stems_;
  /// The stemmer keeps a word's first byte, so words can be ruled out unstemmed (Prefilter).
  bool prefilter_;
};

}  // namespace clippings::search
