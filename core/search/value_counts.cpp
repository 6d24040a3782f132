/// @file value_counts.cpp
#include "search/value_counts.h"

#include <algorithm>
#include <map>
#include <vector>

#include "schema.h"
#include "search/date_histogram.h"
#include "search/multilingual_query.h"
#include "search/timeline.h"

namespace clippings::search {
namespace {

using Xapian::Query;

/// `query` restricted to `filter`; an empty `filter` restricts nothing.
Query within(const Query& query, const Query& filter) {
  return filter.empty() ? query : Query(Query::OP_FILTER, query, filter);
}

/// The filter's outlets, languages and days as queries; each empty when the filter sets none.
struct FilterQueries {
  Query outlets, langs, dates;
  explicit FilterQueries(const FacetFilter& filter) {
    if (!filter.outlet_terms.empty()) outlets = Query(Query::OP_OR, filter.outlet_terms.begin(), filter.outlet_terms.end());
    if (!filter.langs.empty()) langs = language_filter({filter.langs.begin(), filter.langs.end()});
    if (filter.dated()) dates = date_range(filter);
  }
};

/// Every document with a date.
Query dated() { return Query(Query::OP_VALUE_GE, schema::kSlotDate, "0"); }

Xapian::doccount sum(const std::unordered_map<std::string, Xapian::doccount>& counts) {
  Xapian::doccount total = 0;
  for (const auto& [value, count] : counts) total += count;
  return total;
}

/// The real dates among kSlotDate values, as days, in order (a value that is no real date was
/// not written by DocumentBuilder: no day to put it on).
DayCounts days_of(const std::unordered_map<std::string, Xapian::doccount>& values) {
  DayCounts days;
  for (const auto& [value, count] : values) {
    if (const auto day = day_from_date_value(value)) days.emplace_back(*day, count);
  }
  std::sort(days.begin(), days.end());
  return days;
}

/// The timeline's counts of the dated matches of `query` (filtered by outlet and language):
/// the days of the outlets timeline() names, one pass each, and the rest of `days` under no
/// outlet, which it counts as other.
std::vector<OutletDay> timeline_counts(const CountingPass& pass, const Query& query, const DayCounts& days) {
  const auto by_outlet = value_counts(pass, within(query, dated()), schema::kSlotOutlet);
  // As timeline() ranks them: by count, then name.
  const std::map<std::string, Xapian::doccount> ordered(by_outlet.begin(), by_outlet.end());
  std::vector<std::pair<std::string, Xapian::doccount>> ranked(ordered.begin(), ordered.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (ranked.size() > kTimelineOutlets) ranked.resize(kTimelineOutlets);

  std::vector<OutletDay> counts;
  std::map<int, Xapian::doccount> rest(days.begin(), days.end());
  for (const auto& [outlet, total] : ranked) {
    const Query outlet_only(Query::OP_VALUE_RANGE, schema::kSlotOutlet, outlet, outlet);
    for (const auto& [day, count] : days_of(value_counts(pass, within(query, outlet_only), schema::kSlotDate))) {
      counts.push_back({outlet, day, count});
      rest[day] -= count;
    }
  }
  for (const auto& [day, count] : rest) {
    if (count != 0) counts.push_back({"", day, count});
  }
  return counts;
}

}  // namespace

Query date_range(const FacetFilter& filter) {
  if (filter.date_from.empty()) return Query(Query::OP_VALUE_LE, schema::kSlotDate, filter.date_to);
  if (filter.date_to.empty()) return Query(Query::OP_VALUE_GE, schema::kSlotDate, filter.date_from);
  return Query(Query::OP_VALUE_RANGE, schema::kSlotDate, filter.date_from, filter.date_to);
}

Query within_filter(const Query& query, const FacetFilter& filter) {
  const FilterQueries filters{filter};
  return within(within(within(query, filters.outlets), filters.langs), filters.dates);
}

Xapian::doccount CountingPass::count(const Query& query, Xapian::MatchSpy* spy) const {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  if (min_weight > 0) {
    enquire.set_cutoff(0, min_weight);
  } else {
    enquire.set_weighting_scheme(Xapian::BoolWeight());  // only counts are wanted
  }
  if (spy) enquire.add_matchspy(spy);
  // Every match looked at: the count is exact.
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

std::unordered_map<std::string, Xapian::doccount> value_counts(const CountingPass& pass, const Query& query,
                                                              Xapian::valueno slot, Xapian::doccount* matched) {
  Xapian::ValueCountMatchSpy spy{slot};
  const Xapian::doccount all = pass.count(query, &spy);
  if (matched) *matched = all;
  std::unordered_map<std::string, Xapian::doccount> counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) counts.emplace(*it, it.get_termfreq());
  return counts;
}

FacetCounts count_by_values(const CountingPass& pass, const Query& query, const FacetFilter& filter) {
  const FilterQueries filters{filter};
  FacetCounts counts;
  {  // the total, and the stories: one per group, and each article in none
    Xapian::ValueCountMatchSpy groups{schema::kSlotGroup};
    counts.total = pass.count(within_filter(query, filter), &groups);
    Xapian::doccount grouped = 0, distinct = 0;
    for (auto it = groups.values_begin(); it != groups.values_end(); ++it, ++distinct) grouped += it.get_termfreq();
    counts.stories = counts.total - grouped + distinct;
  }
  counts.outlets = value_counts(pass, within(within(query, filters.dates), filters.langs), schema::kSlotOutlet);
  {
    const Query by_outlet_and_lang = within(within(query, filters.outlets), filters.langs);
    Xapian::doccount matched = 0;
    const auto values = value_counts(pass, by_outlet_and_lang, schema::kSlotDate, &matched);
    counts.undated = matched - sum(values);
    counts.days = days_of(values);
    if (filter.timeline) counts.timeline = timeline_counts(pass, by_outlet_and_lang, counts.days);
  }
  const Query by_outlet_and_date = within(within(query, filters.outlets), filters.dates);
  const std::string prefix{schema::kPrefixLang};
  for (auto it = pass.db.allterms_begin(prefix); it != pass.db.allterms_end(prefix); ++it) {
    const Xapian::doccount count = pass.count(within(by_outlet_and_date, Query(*it)));
    if (count != 0) counts.langs.emplace((*it).substr(prefix.size()), count);
  }
  return counts;
}

}  // namespace clippings::search
