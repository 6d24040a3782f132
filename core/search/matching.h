/// @file matching.h
/// The default matching strategy, as a layer over parsed queries: a plain query first asks for
/// every word; when that finds too little, its words are relaxed, and articles with all of
/// them still rank first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

namespace clippings::search {

/// One word of a plain query (as typed) and the query it parsed to. The query may come from
/// several parses (stems of several languages joined by OR): the strategy only needs to know
/// which documents match the word.
struct Clause {
  std::string text;
  Xapian::Query query;
  Xapian::Query title;  ///< the word in the title (as title:word); empty if it has no such form
};

/// Which clauses a document matches: bit i for clause i.
using ClauseMask = std::uint32_t;
/// A document and the clauses it matches.
struct DocMask {
  Xapian::docid did = 0;
  ClauseMask mask = 0;
};
/// Words beyond this many are not relaxed: the query is searched strictly.
inline constexpr std::size_t kMaxRelaxedWords = 32;

/// How a parsed q may match. Explicit syntax (operators, brackets) is all `required`; a plain
/// query keeps its phrases, +words and field words in `required`, its -words in `excluded`,
/// and its other words as `clauses`, which the strategy may relax.
struct MatchPlan {
  Xapian::Query required;  ///< empty: nothing beyond the clauses
  std::vector<Clause> clauses;
  Xapian::Query excluded;  ///< empty: nothing excluded

  /// Everything required, every clause, nothing excluded: what `a b c` means strictly.
  Xapian::Query strict() const;
  /// Whether dropping clauses can find more: there are two or more of them (a match keeps at
  /// least one: dropping every word would leave only phrases or field filters).
  bool relaxable() const;
  /// Documents with what is required, nothing excluded and at least min_clauses() clauses,
  /// weighted by BM25 plus `tier` for each clause they match: with a `tier` above any BM25
  /// sum, more words always rank higher, and a weight cutoff of `k * tier` keeps those with k
  /// clauses or more.
  Xapian::Query tiered(double tier) const;
  /// The documents of tiered(), weighted by exactly their ClauseMask (no BM25).
  Xapian::Query masks() const;
  /// The fewest clauses a relaxed match may have.
  static constexpr std::size_t kMinClauses = 1;
};

/// Weight of one clause in tiered(): above any BM25 sum a query of kMaxRelaxedWords words
/// and the required part can reach, far below where a double loses the BM25 part's precision.
inline constexpr double kTierWeight = 1e6;

/// Words of `plan` (texts) whose bits are set in `mask`, in query order.
std::vector<std::string> clause_texts(const MatchPlan& plan, ClauseMask mask);

}  // namespace clippings::search
