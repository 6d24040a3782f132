/// @file ranking.h
/// How the matches of a search are weighted: the weighting scheme of search.weighting, and
/// the title boost and the feedback of a plain query.
#pragma once

#include <xapian.h>

#include "config.h"
#include "search/matching.h"

namespace clippings::search {

/// Sets the weighting scheme `settings` names, with its parameters, on `enquire`.
void set_weighting(Xapian::Enquire& enquire, const SearchSettings& settings);

/// `ranked` (a query over the matches of `plan`) with the articles whose title has every
/// clause of `plan` weighted `1 + boost` times their clauses' weight; `ranked` itself when
/// there is no clause, a clause has no title form, or `boost` is 0.
Xapian::Query title_boosted(const Xapian::Query& ranked, const MatchPlan& plan, double boost);

/// `ranked` with the words that best tell its first search.feedback_docs articles apart
/// (Xapian's expansion weights over those articles, the best search.feedback_terms of them)
/// added as optional terms: they reorder the matches of `ranked` and match nothing of their
/// own. Runs `ranked` on `enquire` to find those articles; `ranked` itself when feedback is
/// off or nothing matches.
Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& ranked,
                            const Xapian::Database& db, const SearchSettings& settings);

/// Keeps the words that say what an article is about: unprefixed terms (not ids, fields or
/// filters) of three bytes or more with a letter in them (not "2022" or "1,000"), and not in
/// most articles: the corpus's own function words, in whatever language, with no list to keep.
class TopicTerms : public Xapian::ExpandDecider {
 public:
  explicit TopicTerms(const Xapian::Database& db) : db_(db), articles_(db.get_doccount()) {}
  bool operator()(const std::string& term) const override;

 private:
  Xapian::Database db_;
  Xapian::doccount articles_;
};

}  // namespace clippings::search
