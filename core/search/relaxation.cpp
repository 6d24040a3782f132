/// @file relaxation.cpp
/// What a search does when it finds little: suggest or correct the spelling of q, and return
/// the articles that have most of the words of a plain query.
#include <algorithm>
#include <array>
#include <bit>

#include "search/searcher_state.h"
#include "search/shards.h"
#include "search/term_matches.h"
#include "search/value_counts.h"

namespace clippings {
namespace {

/// Collects each match with its ClauseMask, which MatchPlan::masks() gives as the weight.
class MaskCollector : public Xapian::MatchSpy {
 public:
  explicit MaskCollector(std::vector<search::DocMask>& out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double weight) override {
    out_.push_back({doc.get_docid(), static_cast<search::ClauseMask>(weight)});
  }

 private:
  std::vector<search::DocMask>& out_;
};

std::vector<search::DocMask> clause_masks(const Xapian::Database& db, const search::MatchPlan& plan) {
  std::vector<search::DocMask> docs;
  if (search::visit_clause_masks(db, plan, docs)) return docs;
  Xapian::Enquire enquire(db);
  enquire.set_query(plan.masks());
  MaskCollector collector{docs};
  enquire.add_matchspy(&collector);
  enquire.get_mset(0, 0, db.get_doccount());
  return docs;
}

/// clause_masks() of each of `shards`, by shard, with the shards' own docids: from the list of
/// every match with its weight, for remote shards.
std::vector<std::vector<search::DocMask>> listed_clause_masks(std::span<const Xapian::Database> shards,
                                                              const search::MatchPlan& plan) {
  std::vector<std::vector<search::DocMask>> by_shard(shards.size());
  search::for_each_match(shards, plan.masks(), true, [&by_shard](search::ShardDocid where, double weight) {
    by_shard[where.shard].push_back({where.did, static_cast<search::ClauseMask>(weight)});
  });
  return by_shard;
}

}  // namespace

Xapian::doccount count_upto(const Xapian::Database& db, const Xapian::Query& query,
                            Xapian::doccount limit) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return std::min(enquire.get_mset(0, 0, limit).get_matches_lower_bound(), limit);
}

bool Searcher::State::respell(const SearchRequest& request, search::ParsedQuery& parsed,
                              Xapian::doccount filtered_total, SearchResponse& response) {
  // Most thin queries have no rare word to replace: that costs a lookup per word, no count.
  const std::string any = queries->spelling(request.q, false);
  if (any.empty()) return false;
  // Few matches under the filters but more without them: the words are as meant.
  const auto few = static_cast<Xapian::doccount>(kFewMatches);
  const bool filtered = !request.outlets.empty() || !request.langs.empty() || !request.from.empty() ||
                        !request.to.empty();
  const Xapian::doccount found = filtered ? count_upto(*db, parsed.query, few) : filtered_total;
  if (found >= few) return false;
  std::string tried;
  // First the words no article has (a typo, surely), then any rare word.
  for (const bool absent_only : {true, false}) {
    std::string corrected = absent_only ? queries->spelling(request.q, true) : any;
    if (corrected.empty() || corrected == tried) continue;
    tried = corrected;
    auto alternative = queries->parse(corrected);
    if (!alternative || alternative->match_all) continue;
    const bool replace = absent_only && found == 0;
    const Xapian::doccount wanted = replace ? 1 : std::max(few, kManyMore * found);
    if (count_upto(*db, alternative->query, wanted) < wanted) continue;
    if (replace && request.correct) {
      response.corrected_from = request.q;
      response.query = std::move(corrected);
      parsed = std::move(*alternative);
      return true;
    }
    response.suggestion = std::move(corrected);
    return false;
  }
  return false;
}

std::optional<MatchSet> Searcher::State::relaxed_matches(
    const search::MatchPlan& plan, const search::FacetFilter& filter,
    std::shared_ptr<const search::FacetColumns> columns) {
  if (remote && !columns_complete()) return relaxed_by_passes(plan, filter);
  // Each database's matches with their words (by part), counted with its own columns.
  const search::ShardCounters counters{part_columns(columns), filter};
  std::vector<std::vector<search::DocMask>> docs;
  if (remote) {
    docs = listed_clause_masks(parts(), plan);
  } else {
    for (const Xapian::Database& part : parts()) docs.push_back(clause_masks(part, plan));
  }
  // Matches passing the filters, by how many words they have.
  std::array<Xapian::doccount, search::kMaxRelaxedWords + 1> with{};
  for (std::size_t part = 0; part < docs.size(); ++part) {
    for (const auto& doc : docs[part]) {
      if (counters[part].passes(doc.did)) ++with[static_cast<std::size_t>(std::popcount(doc.mask))];
    }
  }
  // Drop words until the matches are no longer thin, or only the fewest words are left.
  const std::size_t words = plan.clauses.size();
  const auto enough = static_cast<Xapian::doccount>(config.server.relax_below);
  std::size_t level = words;
  Xapian::doccount total = with[words];
  while (level > search::MatchPlan::kMinClauses && total < enough) total += with[--level];
  if (total == with[words]) return std::nullopt;

  MatchSet matches;
  matches.relaxed = true;
  matches.min_clauses = level;
  const search::ClauseMask all = words == search::kMaxRelaxedWords
                                     ? ~search::ClauseMask{0}
                                     : (search::ClauseMask{1} << words) - 1;
  for (std::size_t part = 0; part < docs.size(); ++part) {
    for (const auto& doc : docs[part]) {
      if (static_cast<std::size_t>(std::popcount(doc.mask)) < level) continue;
      const Xapian::docid did = doc.did;
      counters[part].count(std::span{&did, 1});
      if (counters[part].passes(did)) matches.dropped |= all & ~doc.mask;
    }
  }
  matches.counts = std::make_shared<const search::FacetCounts>(counters.sum(*spanning_groups));
  matches.total = matches.counts->total;
  return matches;
}

std::optional<MatchSet> Searcher::State::relaxed_by_passes(const search::MatchPlan& plan,
                                                           const search::FacetFilter& filter) {
  const Xapian::Query tiered = search::within_filter(plan.tiered(search::kTierWeight), filter);
  // Half a tier below `words` tiers: BM25 never reaches a tier, so this keeps the matches with
  // `words` words or more.
  const auto with_at_least = [this](std::size_t words) {
    return search::CountingPass{*db, (static_cast<double>(words) - 0.5) * search::kTierWeight};
  };
  const std::size_t words = plan.clauses.size();
  const Xapian::doccount strict = with_at_least(words).count(tiered);
  const auto enough = static_cast<Xapian::doccount>(config.server.relax_below);
  std::size_t level = words;
  Xapian::doccount total = strict;
  while (level > search::MatchPlan::kMinClauses && total < enough) total = with_at_least(--level).count(tiered);
  if (total == strict) return std::nullopt;

  MatchSet matches;
  matches.relaxed = true;
  matches.min_clauses = level;
  const search::CountingPass pass = with_at_least(level);
  for (std::size_t i = 0; i < words; ++i) {
    if (pass.count(Xapian::Query(Xapian::Query::OP_AND_NOT, tiered, plan.clauses[i].query)) != 0) {
      matches.dropped |= search::ClauseMask{1} << i;
    }
  }
  matches.counts = std::make_shared<const search::FacetCounts>(
      search::count_by_values(pass, plan.tiered(search::kTierWeight), filter));
  matches.total = matches.counts->total;
  return matches;
}

}  // namespace clippings
