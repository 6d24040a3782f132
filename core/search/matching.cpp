/// @file matching.cpp
#include "search/matching.h"

namespace clippings::search {
namespace {

using Xapian::Query;

/// A query matching every document with weight `weight`, owned by the query.
Query constant(double weight) {
  return Query((new Xapian::FixedWeightPostingSource(weight))->release());
}

/// `words` beside `required` (all of them, or as an optional extra) and without `excluded`,
/// where those are given.
Query bounded(const Query& words, bool words_optional, const Query& required, const Query& excluded) {
  Query query = words;
  if (!required.empty()) {
    query = words.empty() ? required
                          : Query(words_optional ? Query::OP_AND_MAYBE : Query::OP_AND, required, words);
  }
  if (!excluded.empty()) {
    query = Query(Query::OP_AND_NOT, query.empty() ? Query::MatchAll : query, excluded);
  }
  return query;
}

Query joined(Query::op op, const std::vector<Query>& parts) {
  return parts.empty() ? Query() : Query(op, parts.begin(), parts.end());
}

}  // namespace

Query MatchPlan::strict() const {
  std::vector<Query> all;
  all.reserve(clauses.size());
  for (const Clause& clause : clauses) all.push_back(clause.query);
  return bounded(joined(Query::OP_AND, all), false, required, excluded);
}

bool MatchPlan::relaxable() const {
  return clauses.size() >= 2 && clauses.size() <= kMaxRelaxedWords;
}

Query MatchPlan::tiered(double tier) const {
  std::vector<Query> any;
  any.reserve(clauses.size());
  for (const Clause& clause : clauses) any.emplace_back(Query::OP_AND, constant(tier), clause.query);
  return bounded(joined(Query::OP_OR, any), true, required, excluded);
}

Query MatchPlan::masks() const {
  std::vector<Query> any;
  any.reserve(clauses.size());
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    any.emplace_back(Query::OP_AND, constant(static_cast<double>(ClauseMask{1} << i)),
                     Query(Query::OP_SCALE_WEIGHT, clauses[i].query, 0.0));
  }
  const Query unweighted = required.empty() ? required : Query(Query::OP_SCALE_WEIGHT, required, 0.0);
  return bounded(joined(Query::OP_OR, any), true, unweighted, excluded);
}

std::vector<std::string> clause_texts(const MatchPlan& plan, ClauseMask mask) {
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < plan.clauses.size() && i < kMaxRelaxedWords; ++i) {
    if (mask & (ClauseMask{1} << i)) texts.push_back(plan.clauses[i].text);
  }
  return texts;
}

}  // namespace clippings::search
