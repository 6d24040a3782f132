/// @file test_date_histogram.cpp
/// Bucketing per-day counts by day, ISO week, month and year.
#include <algorithm>
#include <string>
#include <unordered_map>

#include <doctest/doctest.h>

#include "search/date_histogram.h"

using namespace clippings;

namespace {

struct Bucket {
  std::string key, from, to;
  Xapian::doccount count;
};

void check_buckets(const DateFacet& facet, const std::vector<Bucket>& expected) {
  REQUIRE(facet.buckets.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(facet.buckets[i].key == expected[i].key);
    CHECK(facet.buckets[i].from == expected[i].from);
    CHECK(facet.buckets[i].to == expected[i].to);
    CHECK(facet.buckets[i].count == expected[i].count);
  }
}

/// The histogram of kSlotDate values with counts, as the facet counter hands them over.
DateFacet histogram(const std::unordered_map<std::string, Xapian::doccount>& values,
                    Xapian::doccount undated, Interval interval) {
  search::DayCounts days;
  for (const auto& [value, count] : values) {
    auto day = search::day_from_date_value(value);
    REQUIRE(day);
    days.emplace_back(*day, count);
  }
  std::sort(days.begin(), days.end());
  return search::date_histogram(days, undated, interval);
}

const std::unordered_map<std::string, Xapian::doccount> kDays = {
    {"20221121", 1}, {"20221127", 2}, {"20221128", 1}, {"20230102", 1}};

}  // namespace

TEST_CASE("weeks are ISO weeks, Monday to Sunday, empty ones included") {
  const DateFacet facet = histogram(kDays, 3, Interval::kWeek);
  CHECK(facet.interval == "week");
  CHECK(facet.undated == 3);
  check_buckets(facet, {{"2022-W47", "2022-11-21", "2022-11-27", 3},
                        {"2022-W48", "2022-11-28", "2022-12-04", 1},
                        {"2022-W49", "2022-12-05", "2022-12-11", 0},
                        {"2022-W50", "2022-12-12", "2022-12-18", 0},
                        {"2022-W51", "2022-12-19", "2022-12-25", 0},
                        {"2022-W52", "2022-12-26", "2023-01-01", 0},
                        {"2023-W01", "2023-01-02", "2023-01-08", 1}});
}

TEST_CASE("months and years cover whole periods") {
  check_buckets(histogram(kDays, 0, Interval::kMonth),
                {{"2022-11", "2022-11-01", "2022-11-30", 4},
                 {"2022-12", "2022-12-01", "2022-12-31", 0},
                 {"2023-01", "2023-01-01", "2023-01-31", 1}});
  check_buckets(histogram(kDays, 0, Interval::kYear),
                {{"2022", "2022-01-01", "2022-12-31", 4}, {"2023", "2023-01-01", "2023-12-31", 1}});
  check_buckets(histogram({{"20240215", 2}}, 0, Interval::kMonth),
                {{"2024-02", "2024-02-01", "2024-02-29", 2}});
}

TEST_CASE("days run from the first to the last dated match") {
  const DateFacet facet = histogram(kDays, 0, Interval::kDay);
  CHECK(facet.interval == "day");
  REQUIRE(facet.buckets.size() == 43);  // 2022-11-21 .. 2023-01-02
  CHECK(facet.buckets[0].key == "2022-11-21");
  CHECK(facet.buckets[0].from == "2022-11-21");
  CHECK(facet.buckets[0].to == "2022-11-21");
  CHECK(facet.buckets[6].key == "2022-11-27");
  CHECK(facet.buckets[6].count == 2);
  CHECK(facet.buckets[42].key == "2023-01-02");
}

TEST_CASE("ISO week keys at year ends") {
  struct Case {
    const char* day;
    const char* key;
    const char* from;
    const char* to;
  };
  const Case cases[] = {
      {"20210103", "2020-W53", "2020-12-28", "2021-01-03"},  // a Sunday in 2020's last week
      {"20241230", "2025-W01", "2024-12-30", "2025-01-05"},  // a Monday in 2025's first week
      {"20230101", "2022-W52", "2022-12-26", "2023-01-01"},
      {"19691231", "1970-W01", "1969-12-29", "1970-01-04"},  // before the epoch
  };
  for (const auto& c : cases) {
    CAPTURE(c.day);
    check_buckets(histogram({{c.day, 1}}, 0, Interval::kWeek),
                  {{c.key, c.from, c.to, 1}});
  }
}

TEST_CASE("auto picks the finest interval with at most 60 buckets") {
  struct Case {
    std::unordered_map<std::string, Xapian::doccount> days;
    const char* interval;
    std::size_t buckets;
  };
  const Case cases[] = {
      {{{"20221101", 1}, {"20221230", 1}}, "day", 60},
      {{{"20221101", 1}, {"20221231", 1}}, "week", 9},
      {{{"20200101", 1}, {"20221231", 1}}, "month", 36},
      {{{"20000101", 1}, {"20221231", 1}}, "year", 23},
      {{{"20221101", 1}}, "day", 1},
  };
  for (const auto& c : cases) {
    CAPTURE(c.interval);
    const DateFacet facet = histogram(c.days, 0, Interval::kAuto);
    CHECK(facet.interval == c.interval);
    CHECK(facet.buckets.size() == c.buckets);
  }
}

TEST_CASE("an explicit interval that would give too many buckets is coarsened") {
  const DateFacet facet =
      histogram({{"19200101", 1}, {"20220101", 1}}, 0, Interval::kDay);
  CHECK(facet.interval == "month");
  CHECK(facet.buckets.size() == 102 * 12 + 1);
}

TEST_CASE("no dated matches give no buckets") {
  const DateFacet facet = histogram({}, 4, Interval::kAuto);
  CHECK(facet.buckets.empty());
  CHECK(facet.undated == 4);
}

TEST_CASE("date values that are no real day have no day number") {
  CHECK(search::day_from_date_value("19700101") == 0);
  CHECK(search::day_from_date_value("19691231") == -1);
  CHECK(search::day_from_date_value("20240229") == 19782);
  for (const char* value : {"", "2024021", "202402150", "2024-2-1", "20240230", "20231301", "abcdefgh"}) {
    CAPTURE(value);
    CHECK_FALSE(search::day_from_date_value(value));
  }
}
