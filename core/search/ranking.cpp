/// @file ranking.cpp
#include "search/ranking.h"

#include <algorithm>
#include <vector>

namespace clippings::search {
namespace {

/// Xapian's BM25 defaults but for k1 and b: k2 = 0 (no query-length correction), k3 = 1 (a
/// repeated query word counts once more), and short articles normalised as if half as long
/// as the average at least.
constexpr double kBm25K2 = 0, kBm25K3 = 1, kBm25MinNormLength = 0.5;
/// BM25+'s lower bound on a matching word's part, as its authors recommend.
constexpr double kBm25PlusDelta = 1.0;
/// Dirichlet smoothing's prior, in words: the value the language-model literature settled on.
constexpr double kDirichletMu = 2000;
/// Below this many articles, how many contain a word says nothing about whether it is common.
constexpr Xapian::doccount kMinArticlesForCommonWords = 20;

}  // namespace

void set_weighting(Xapian::Enquire& enquire, const SearchSettings& s) {
  switch (s.weighting) {
    case Weighting::kBm25:
      enquire.set_weighting_scheme(
          Xapian::BM25Weight(s.bm25_k1, kBm25K2, kBm25K3, s.bm25_b, kBm25MinNormLength));
      return;
    case Weighting::kBm25Plus:
      enquire.set_weighting_scheme(Xapian::BM25PlusWeight(s.bm25_k1, kBm25K2, kBm25K3, s.bm25_b,
                                                          kBm25MinNormLength, kBm25PlusDelta));
      return;
    case Weighting::kDph:
      enquire.set_weighting_scheme(Xapian::DPHWeight());
      return;
    case Weighting::kPl2:
      enquire.set_weighting_scheme(Xapian::PL2Weight());
      return;
    case Weighting::kInl2:
      enquire.set_weighting_scheme(Xapian::InL2Weight());
      return;
    case Weighting::kLm:
      enquire.set_weighting_scheme(
          Xapian::LMWeight(0.0, Xapian::Weight::DIRICHLET_SMOOTHING, kDirichletMu));
      return;
  }
}

Xapian::Query title_boosted(const Xapian::Query& ranked, const MatchPlan& plan, double boost) {
  using Xapian::Query;
  if (boost <= 0 || plan.clauses.empty()) return ranked;
  std::vector<Query> words, titles;
  for (const Clause& clause : plan.clauses) {
    if (clause.title.empty()) return ranked;
    words.push_back(clause.query);
    titles.push_back(clause.title);
  }
  // The clauses weigh as in `ranked` (each copy of a word is weighted on its own), and the
  // title terms only filter: the boost is proportional to the article's weight for its words,
  // whatever the scheme's scale.
  const Query in_title(Query::OP_FILTER, Query(Query::OP_AND, words.begin(), words.end()),
                       Query(Query::OP_AND, titles.begin(), titles.end()));
  return Query(Query::OP_AND_MAYBE, ranked, Query(Query::OP_SCALE_WEIGHT, in_title, boost));
}

Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& ranked,
                            const Xapian::Database& db, const SearchSettings& settings) {
  using Xapian::Query;
  if (settings.feedback_docs == 0 || settings.feedback_weight <= 0) return ranked;
  enquire.set_query(ranked);
  const Xapian::MSet first = enquire.get_mset(0, static_cast<Xapian::doccount>(settings.feedback_docs));
  if (first.empty()) return ranked;
  Xapian::RSet feedback;
  for (auto it = first.begin(); it != first.end(); ++it) feedback.add_document(*it);
  const TopicTerms topic_terms{db};
  const Xapian::ESet eset =
      enquire.get_eset(static_cast<Xapian::termcount>(settings.feedback_terms), feedback,
                       Xapian::Enquire::USE_EXACT_TERMFREQ, &topic_terms);  // over shards too
  double total = 0;
  for (auto it = eset.begin(); it != eset.end(); ++it) total += std::max(it.get_weight(), 0.0);
  if (total <= 0) return ranked;
  // Each word weighs its share of the expansion weights, so that together they weigh
  // feedback_weight times one word of the query, however many there are.
  std::vector<Query> words;
  for (auto it = eset.begin(); it != eset.end(); ++it) {
    if (it.get_weight() > 0) words.emplace_back(Query::OP_SCALE_WEIGHT, Query(*it), it.get_weight() / total);
  }
  const Query expansion(Query::OP_OR, words.begin(), words.end());
  return Query(Query::OP_AND_MAYBE, ranked,
               Query(Query::OP_SCALE_WEIGHT, expansion, settings.feedback_weight));
}

bool TopicTerms::operator()(const std::string& term) const {
  if (term.size() < 3) return false;
  if (term[0] >= 'A' && term[0] <= 'Z') return false;
  const bool has_letter = std::any_of(term.begin(), term.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
  });
  if (!has_letter) return false;
  return articles_ < kMinArticlesForCommonWords || db_.get_termfreq(term) * 2 <= articles_;
}

}  // namespace clippings::search
