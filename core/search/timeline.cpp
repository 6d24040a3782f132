/// @file timeline.cpp
#include "search/timeline.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace clippings::search {
namespace {

Interval interval_named(const std::string& name) {
  for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kYear}) {
    if (interval_name(i) == name) return i;
  }
  return Interval::kAuto;
}

}  // namespace

TimelineFacet timeline(const std::vector<OutletDay>& counts, const DateFacet& histogram) {
  TimelineFacet facet;
  facet.interval = histogram.interval;
  facet.undated = histogram.undated;
  std::map<std::string, Xapian::doccount> totals;
  for (const auto& c : counts) {
    if (!c.outlet.empty()) totals[c.outlet] += c.count;
  }
  std::vector<std::pair<std::string, Xapian::doccount>> ranked(totals.begin(), totals.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (ranked.size() > kTimelineOutlets) ranked.resize(kTimelineOutlets);
  std::unordered_map<std::string, std::size_t> series;  // outlet -> index in counts
  for (const auto& [outlet, total] : ranked) {
    series.emplace(outlet, facet.outlets.size());
    facet.outlets.push_back(outlet);
  }
  const std::size_t other = facet.outlets.size();
  // Each series' days put in buckets by the histogram's own code, then matched by key.
  std::vector<DayCounts> days(other + 1);
  for (const auto& c : counts) {
    auto found = series.find(c.outlet);
    days[found == series.end() ? other : found->second].emplace_back(c.day, c.count);
  }
  std::unordered_map<std::string, std::size_t> bucket_of;
  for (const auto& bucket : histogram.buckets) {
    bucket_of.emplace(bucket.key, facet.buckets.size());
    facet.buckets.push_back({bucket.key, bucket.from, bucket.to, std::vector<Xapian::doccount>(other + 1)});
  }
  const Interval interval = interval_named(histogram.interval);
  for (std::size_t s = 0; s <= other; ++s) {
    if (days[s].empty()) continue;
    std::sort(days[s].begin(), days[s].end());
    for (const auto& bucket : date_histogram(days[s], 0, interval).buckets) {
      auto found = bucket_of.find(bucket.key);
      if (found != bucket_of.end()) facet.buckets[found->second].counts[s] += bucket.count;
    }
  }
  return facet;
}

}  // namespace clippings::search
