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
  std::unordered_set<std::string> words;          ///< stems marked wherever they occur
  std::vector<std::string> patterns;              ///< wildcard prefixes (stem or word starts so)
  std::vector<std::vector<std::string>> phrases;  ///< stems marked only where they are adjacent

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
