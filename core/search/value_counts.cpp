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

/// Which of a request's filters a count applies (each facet ignores its own).
enum FilterBits : unsigned { kByOutlet = 1, kByLang = 2, kByDate = 4 };

/// Counting passes of one query under some of a request's filters, where counts under the
/// same filters share a pass: with no filter set, the total, outlets and days take one.
class SharedPasses {
 public:
  SharedPasses(const CountingPass& pass, const Query& query, const FacetFilter& filter)
      : pass_(pass), query_(query), filters_(filter) {}

  /// `query` under the filters of `bits` that the request sets.
  Query query(unsigned bits) const {
    Query result = query_;
    if (bits & kByOutlet) result = within(result, filters_.outlets);
    if (bits & kByLang) result = within(result, filters_.langs);
    if (bits & kByDate) result = within(result, filters_.dates);
    return result;
  }
  /// Shows `spy` (null: none, the count alone) the matches of query(bits) once run.
  void add(unsigned bits, Xapian::MatchSpy* spy) {
    auto& spies = passes_[effective(bits)].spies;
    if (spy) spies.push_back(spy);
  }
  void run() {
    for (auto& [bits, pass] : passes_) pass.matched = pass_.count(query(bits), pass.spies);
  }
  /// How many documents query(bits) matched; one of those add()ed.
  Xapian::doccount matched(unsigned bits) const { return passes_.at(effective(bits)).matched; }

 private:
  struct Pass {
    std::vector<Xapian::MatchSpy*> spies;
    Xapian::doccount matched = 0;
  };
  const CountingPass& pass_;
  Query query_;
  FilterQueries filters_;
  std::map<unsigned, Pass> passes_;  ///< by the filters that apply

  /// `bits` without the filters the request does not set: those passes are the same.
  unsigned effective(unsigned bits) const {
    return bits & ((filters_.outlets.empty() ? 0U : kByOutlet) | (filters_.langs.empty() ? 0U : kByLang) |
                   (filters_.dates.empty() ? 0U : kByDate));
  }
};

std::unordered_map<std::string, Xapian::doccount> values_of(const Xapian::ValueCountMatchSpy& spy) {
  std::unordered_map<std::string, Xapian::doccount> counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) counts.emplace(*it, it.get_termfreq());
  return counts;
}

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
  const auto by_outlet = value_counts(pass, within(query, has_date()), schema::kSlotOutlet);
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

Query has_date() { return Query(Query::OP_VALUE_GE, schema::kSlotDate, "0"); }

Xapian::doccount story_count(Xapian::doccount articles,
                             const std::unordered_map<std::string, Xapian::doccount>& by_group) {
  return articles - sum(by_group) + static_cast<Xapian::doccount>(by_group.size());
}

Query date_range(const FacetFilter& filter) {
  if (filter.date_from.empty()) return Query(Query::OP_VALUE_LE, schema::kSlotDate, filter.date_to);
  if (filter.date_to.empty()) return Query(Query::OP_VALUE_GE, schema::kSlotDate, filter.date_from);
  return Query(Query::OP_VALUE_RANGE, schema::kSlotDate, filter.date_from, filter.date_to);
}

Query within_filter(const Query& query, const FacetFilter& filter) {
  const FilterQueries filters{filter};
  return within(within(within(query, filters.outlets), filters.langs), filters.dates);
}

Xapian::doccount CountingPass::count(const Query& query, const std::vector<Xapian::MatchSpy*>& spies) const {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  if (min_weight > 0) {
    enquire.set_cutoff(0, min_weight);
  } else {
    enquire.set_weighting_scheme(Xapian::BoolWeight());  // only counts are wanted
  }
  for (Xapian::MatchSpy* spy : spies) enquire.add_matchspy(spy);
  // Every match looked at: the count is exact.
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

std::unordered_map<std::string, Xapian::doccount> value_counts(const CountingPass& pass, const Query& query,
                                                              Xapian::valueno slot, Xapian::doccount* matched) {
  Xapian::ValueCountMatchSpy spy{slot};
  const Xapian::doccount all = pass.count(query, {&spy});
  if (matched) *matched = all;
  return values_of(spy);
}

FacetCounts count_by_values(const CountingPass& pass, const Query& query, const FacetFilter& filter) {
  SharedPasses passes{pass, query, filter};
  Xapian::ValueCountMatchSpy groups{schema::kSlotGroup}, outlets{schema::kSlotOutlet}, dates{schema::kSlotDate};
  passes.add(kByOutlet | kByLang | kByDate, &groups);
  passes.add(kByLang | kByDate, &outlets);
  passes.add(kByOutlet | kByLang, &dates);
  // Most indexes are in one language that every article has: its count is that pass's.
  const std::string prefix{schema::kPrefixLang};
  std::vector<std::string> langs(pass.db.allterms_begin(prefix), pass.db.allterms_end(prefix));
  const bool one_language = langs.size() == 1 && pass.db.get_termfreq(langs.front()) == pass.db.get_doccount();
  if (one_language) passes.add(kByOutlet | kByDate, nullptr);
  passes.run();

  FacetCounts counts;
  counts.total = passes.matched(kByOutlet | kByLang | kByDate);
  counts.stories = story_count(counts.total, values_of(groups));
  counts.outlets = values_of(outlets);
  const auto by_date = values_of(dates);
  counts.undated = passes.matched(kByOutlet | kByLang) - sum(by_date);
  counts.days = days_of(by_date);
  if (filter.timeline) counts.timeline = timeline_counts(pass, passes.query(kByOutlet | kByLang), counts.days);
  for (const std::string& lang : langs) {
    const Xapian::doccount count = one_language ? passes.matched(kByOutlet | kByDate)
                                                : pass.count(within(passes.query(kByOutlet | kByDate), Query(lang)));
    if (count != 0) counts.langs.emplace(lang.substr(prefix.size()), count);
  }
  return counts;
}

}  // namespace clippings::search
