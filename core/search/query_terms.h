/// @file query_terms.h
/// The words of a query that highlighting marks, per field, as the index spells them (stems).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

namespace clippings::search {

/// What matches in one field of an article.
struct TermSet {
  /// Terms marked wherever they occur: stems, and the accent-folded and transliterated forms
  /// under their prefixes (schema::kPrefixFolded, kPrefixTranslit).
  std::unordered_set<std::string> words;
  std::vector<std::string> patterns;  ///< wildcard prefixes (stem or word starts so)
  /// Terms marked only where a whole phrase stands: per phrase, per word, its terms.
  std::vector<std::vector<std::vector<std::string>>> phrases;

  bool empty() const { return words.empty() && patterns.empty() && phrases.empty(); }
};

/// Highlight terms for the body (unprefixed terms) and the title (unprefixed and title: terms).
/// Terms that only exclude (NOT, -, AND_NOT) or only filter are left out.
struct QueryTerms {
  TermSet body;
  TermSet title;
};

QueryTerms query_terms(const Xapian::Query& query);

}  // namespace clippings::search
