/// @file date_histogram.cpp
#include "search/date_histogram.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "dates.h"
#include "schema.h"

namespace clippings::search {
namespace {

/// Floor division: days before 1970 are negative.
int floor_div(int a, int b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/// 0 for Monday .. 6 for Sunday; 1970-01-01 was a Thursday.
int weekday(int day) { return ((day % 7) + 7 + 3) % 7; }

int year_of(int day) { return std::stoi(iso_from_days(day).substr(0, 4)); }

struct Period {
  int first = 0, last = 0;  ///< days, inclusive
  std::string key;
};

Period period_of(int day, Interval interval) {
  const std::string iso = iso_from_days(day);
  switch (interval) {
    case Interval::kWeek: {
      // ISO 8601: weeks start on Monday and belong to the year of their Thursday.
      const int monday = day - weekday(day);
      const int thursday = monday + 3;
      const int year = year_of(thursday);
      const int week = (thursday - days_from_iso(fmt::format("{:04}-01-01", year))) / 7 + 1;
      return {monday, monday + 6, fmt::format("{:04}-W{:02}", year, week)};
    }
    case Interval::kMonth:
    case Interval::kYear: {
      const std::string key = iso.substr(0, interval == Interval::kMonth ? 7 : 4);
      const auto range = parse_date_bound(key);
      return {days_from_iso(range->first), days_from_iso(range->last), key};
    }
    default:
      return {day, day, iso};
  }
}

/// A number that grows by one from each bucket to the next.
int bucket_index(int day, Interval interval) {
  switch (interval) {
    case Interval::kWeek:
      return floor_div(day - weekday(day), 7);
    case Interval::kMonth: {
      const std::string iso = iso_from_days(day);
      return std::stoi(iso.substr(0, 4)) * 12 + std::stoi(iso.substr(5, 2));
    }
    case Interval::kYear:
      return year_of(day);
    default:
      return day;
  }
}

std::size_t bucket_count(int first, int last, Interval interval) {
  return static_cast<std::size_t>(bucket_index(last, interval) - bucket_index(first, interval)) + 1;
}

/// The finest interval from `finest` on that gives at most `limit` buckets; years at worst.
Interval fitting_interval(int first, int last, Interval finest, std::size_t limit) {
  constexpr Interval kOrder[] = {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kYear};
  const auto* start = std::find(std::begin(kOrder), std::end(kOrder), finest);
  for (const auto* it = start; it != std::end(kOrder); ++it) {
    if (bucket_count(first, last, *it) <= limit) return *it;
  }
  return Interval::kYear;
}

}  // namespace

std::string_view interval_name(Interval interval) {
  switch (interval) {
    case Interval::kDay: return "day";
    case Interval::kWeek: return "week";
    case Interval::kMonth: return "month";
    case Interval::kYear: return "year";
    default: return "auto";
  }
}

std::optional<int> day_from_date_value(std::string_view value) {
  const bool digits = value.size() == 8 &&
                      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return std::nullopt;
  const auto iso = normalize_date(schema::iso_from_date_value(value));
  if (!iso) return std::nullopt;
  return days_from_iso(*iso);
}

DateFacet date_histogram(const DayCounts& sorted, Xapian::doccount undated, Interval interval) {
  DateFacet facet;
  facet.undated = undated;
  if (sorted.empty()) {
    facet.interval = interval_name(interval == Interval::kAuto ? Interval::kMonth : interval);
    return facet;
  }
  const int first = sorted.front().first, last = sorted.back().first;
  const Interval used = interval == Interval::kAuto
                            ? fitting_interval(first, last, Interval::kDay, kAutoMaxBuckets)
                            : fitting_interval(first, last, interval, kMaxBuckets);
  facet.interval = interval_name(used);

  auto next = sorted.begin();
  Period period = period_of(first, used);
  while (true) {
    DateBucket bucket{period.key, iso_from_days(period.first), iso_from_days(period.last), 0};
    for (; next != sorted.end() && next->first <= period.last; ++next) bucket.count += next->second;
    facet.buckets.push_back(std::move(bucket));
    if (period.last >= last) break;
    period = period_of(period.last + 1, used);
  }
  return facet;
}

}  // namespace clippings::search
