/// @file term_matches.h
/// The matches of a query made of plain terms, read from their posting lists.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include <xapian.h>

#include "search/matching.h"

namespace clippings::search {

/// Docids handed over at once: one call per batch rather than per match.
using DocidBatch = std::span<const Xapian::docid>;

/// Calls `visit` with the documents that `query` matches, in docid order, when the query is
/// one term, or terms joined by a single AND, OR, FILTER or SYNONYM: the posting lists alone
/// then say which documents match. Returns false, having called nothing, for any other query
/// (phrases, NEAR, NOT, wildcards, nesting), which needs Xapian's matcher.
///
/// Counting every match through the matcher with a match spy costs a document object per
/// match: for a frequent word, most of the counting pass.
bool visit_term_matches(const Xapian::Database& db, const Xapian::Query& query,
                        const std::function<void(DocidBatch)>& visit);

/// Appends to `out`, in docid order, every document of `plan.masks()` with the clauses it
/// matches, when the clauses are single terms, the required part is none, a term or an AND
/// of terms, and nothing is excluded: a merge of posting lists. Returns false, having added
/// nothing, for any other plan.
bool visit_clause_masks(const Xapian::Database& db, const MatchPlan& plan, std::vector<DocMask>& out);

}  // namespace clippings::search
