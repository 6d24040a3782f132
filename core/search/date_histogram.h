/// @file date_histogram.h
/// The date facet: per-day counts grouped into days, ISO weeks, months or years.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <xapian.h>

#include "search/searcher.h"

namespace clippings::search {

/// Most buckets `Interval::kAuto` aims for: a histogram a page can show at a glance.
inline constexpr std::size_t kAutoMaxBuckets = 60;
/// Most buckets an explicit interval gives; beyond it the next coarser interval is used, so a
/// stray date a century off cannot turn a daily histogram into tens of thousands of buckets.
inline constexpr std::size_t kMaxBuckets = 5000;

/// Buckets from the first to the last dated match, empty ones included, in time order.
/// `days` maps kSlotDate values ("YYYYMMDD") to counts.
DateFacet date_histogram(const std::unordered_map<std::string, Xapian::doccount>& days,
                         Xapian::doccount undated, Interval interval);

/// "day", "week", "month", "year" ("auto" for kAuto).
std::string_view interval_name(Interval interval);

}  // namespace clippings::search
