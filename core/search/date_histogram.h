/// @file date_histogram.h
/// The date facet: per-day counts grouped into days, ISO weeks, months or years.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "search/searcher.h"

namespace clippings::search {

/// Most buckets `Interval::kAuto` aims for: a histogram a page can show at a glance.
inline constexpr std::size_t kAutoMaxBuckets = 60;
/// Most buckets an explicit interval gives; beyond it the next coarser interval is used, so a
/// stray date a century off cannot turn a daily histogram into tens of thousands of buckets.
inline constexpr std::size_t kMaxBuckets = 5000;

/// Days since 1970-01-01 with their counts, in time order.
using DayCounts = std::vector<std::pair<int, Xapian::doccount>>;

/// Buckets from the first to the last dated match, empty ones included, in time order.
DateFacet date_histogram(const DayCounts& days, Xapian::doccount undated, Interval interval);

/// Days since 1970-01-01 of a kSlotDate value; nullopt if it is not a real date.
std::optional<int> day_from_date_value(std::string_view value);

/// "day", "week", "month", "year" ("auto" for kAuto).
std::string_view interval_name(Interval interval);

}  // namespace clippings::search
