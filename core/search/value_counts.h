/// @file value_counts.h
/// Facet counts over databases that run no code of ours: remote shards (xapian-tcpsrv) take
/// only Xapian's own match spies, so each facet is a counting pass with a
/// Xapian::ValueCountMatchSpy under the filters that facet does not ignore (FacetCounter does
/// all of them in one pass where it can read the columns).
#pragma once

#include <string>
#include <vector>
#include <unordered_map>

#include <xapian.h>

#include "search/facets.h"

namespace clippings::search {

/// The documents of `filter`'s days, as a value range of kSlotDate (values sort as the dates
/// do; an undated document has none). Only for a filter that is dated().
Xapian::Query date_range(const FacetFilter& filter);

/// Every document with a date (kSlotDate values are dates, and an undated document has none).
Xapian::Query has_date();

/// How many stories `articles` matches make when `by_group` counts those of each group of
/// copies: one a group, and one each article in none.
Xapian::doccount story_count(Xapian::doccount articles,
                             const std::unordered_map<std::string, Xapian::doccount>& by_group);

/// `query` restricted to every filter of `filter` (outlets, languages, days).
Xapian::Query within_filter(const Xapian::Query& query, const FacetFilter& filter);

/// How a counting pass picks its matches: every match of the query, or (min_weight above 0)
/// those weighing at least min_weight (a relaxed query, MatchPlan::tiered).
struct CountingPass {
  const Xapian::Database& db;
  double min_weight = 0;

  /// How many documents `query` matches, exactly, with `spies` shown each of them.
  Xapian::doccount count(const Xapian::Query& query, const std::vector<Xapian::MatchSpy*>& spies = {}) const;
};

/// What FacetCounter counts, for the matches of `query` that `pass` keeps: the total and
/// stories under every filter; outlets under the date and language filters; days under the
/// outlet and language filters (and, with filter.timeline, days by outlet: the top
/// kTimelineOutlets exactly, the rest as no outlet); languages under the outlet and date
/// filters. Counts under the same filters share a pass: one pass for the total, outlets and
/// days when the request sets no filter, up to three otherwise; one a language unless every
/// article is in the one language; 1 + kTimelineOutlets for the timeline.
FacetCounts count_by_values(const CountingPass& pass, const Xapian::Query& query, const FacetFilter& filter);

/// Each value of `slot` among the matches of `query`, with how many have it; `matched`, when
/// given, gets how many matches there are (those without a value too).
std::unordered_map<std::string, Xapian::doccount> value_counts(const CountingPass& pass, const Xapian::Query& query,
                                                              Xapian::valueno slot,
                                                              Xapian::doccount* matched = nullptr);

}  // namespace clippings::search
