/// @file test_dates.cpp
#include <doctest/doctest.h>

#include <limits>

#include "dates.h"

using namespace clippings;

TEST_CASE("normalize_date keeps the day of full dates and date-times") {
  struct Case {
    const char* input;
    const char* expected;  // "" = rejected
  } cases[] = {
      {"2022-11-25", "2022-11-25"},         {"2022-11-25T10:20", "2022-11-25"},
      {"2022-11-25 10:20:00Z", "2022-11-25"}, {"2024-02-29", "2024-02-29"},
      {"2023-02-29", ""},                   {"2022-13-01", ""},
      {"2022-11", ""},                      {"22-11-25", ""},
      {"2022-11-25x", ""},                  {"", ""},
      {"abcd-ef-gh", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(normalize_date(c.input).value_or("") == c.expected);
  }
}

TEST_CASE("normalize_date gives the UTC day: an offset is applied, a time without one is taken as written") {
  struct Case {
    const char* input;
    const char* expected;  // "" = not a date
  } cases[] = {
      // 23:30 in New York is already the 26th in UTC: one moment, one day, however written.
      {"2022-11-25T23:30:00-05:00", "2022-11-26"},
      {"2022-11-26T04:30:00Z", "2022-11-26"},
      {"2022-11-26T04:30:00+00:00", "2022-11-26"},
      {"2022-11-26T13:30:00+09:00", "2022-11-26"},
      // East of UTC, the small hours are still the day before.
      {"2022-11-26T05:30:00.123+14:00", "2022-11-25"},
      {"2023-01-01T00:15+0100", "2022-12-31"},
      {"2022-12-31T23:59-00:01", "2023-01-01"},
      {"2022-11-25T10:20:00+0100", "2022-11-25"},
      {"2022-11-25T10:20:00+01", "2022-11-25"},
      {"2022-11-25 10:20:00 UTC", "2022-11-25"},
      {"2022-11-25 23:20:00 GMT-01", "2022-11-26"},
      {"2022-11-25T00:20:00+01:00[Europe/Paris]", "2022-11-24"},
      {"2022-11-25t23:20", "2022-11-25"},  // no offset: the zone is unknown, the day as written
      {"2022-03-01T00:30+02:00", "2022-02-28"},
      {"2024-03-01T00:30+02:00", "2024-02-29"},
      // 24:00 is the end of the day, which is the start of the next.
      {"2022-12-31T24:00:00", "2023-01-01"},
      {"9999-12-31T24:00", ""},
      {"9999-12-31T23:00-02:00", ""},  // year 10000 in UTC
      {"1000-01-01T01:00+02:00", ""},  // year 999 in UTC
      // What follows the day must be a time, and the time a real one.
      {"2022-11-25T", ""},
      {"2022-11-25T25:00", ""},
      {"2022-11-25T24:01", ""},
      {"2022-11-25T10:60", ""},
      {"2022-11-25T10:20:61", ""},
      {"2022-11-25T-1:20", ""},
      {"2022-11-25T10:20+24:00", ""},
      {"2022-11-25T10:20+01:60", ""},
      {"2022-11-25T10:20:00.", ""},
      {"2022-11-25T10:20:00Zjunk", ""},
      {"2022-11-25 and more", ""},
      {"2022-1-25", ""},
      {"2022-+1-25", ""},
      // Impossible days and years outside 1000-9999.
      {"2022-02-30", ""},
      {"99999-01-01", ""},
      {"0999-12-31", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(normalize_date(c.input).value_or("") == c.expected);
  }
}

TEST_CASE("day_of_unix_time: the UTC day, or nothing outside the years 1000-9999") {
  struct Case {
    double seconds;
    const char* expected;  // "" = none
  } cases[] = {
      {0, "1970-01-01"},
      {1669419000, "2022-11-25"},  // 2022-11-25T23:30:00Z
      {-1, "1969-12-31"},
      {-30610224000.0, "1000-01-01"},
      {-30610224001.0, ""},
      {253402300799.0, "9999-12-31"},
      {253402300800.0, ""},
      {1e300, ""},
      {-1e300, ""},
      {std::numeric_limits<double>::infinity(), ""},
      {std::numeric_limits<double>::quiet_NaN(), ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.seconds);
    CHECK(day_of_unix_time(c.seconds).value_or("") == c.expected);
  }
}

TEST_CASE("parse_date_bound turns a year, month or day into the days it covers") {
  struct Case {
    const char* input;
    const char* first;
    const char* last;
  } cases[] = {
      {"2022", "2022-01-01", "2022-12-31"},     {"2022-11", "2022-11-01", "2022-11-30"},
      {"2024-02", "2024-02-01", "2024-02-29"},  {"2023-02", "2023-02-01", "2023-02-28"},
      {"2022-11-25", "2022-11-25", "2022-11-25"}, {"2022-1", "", ""},
      {"2022-00", "", ""},                      {"yesterday", "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    auto range = parse_date_bound(c.input);
    CHECK(range.has_value() == (*c.first != '\0'));
    if (range) {
      CHECK(range->first == c.first);
      CHECK(range->last == c.last);
    }
  }
}

TEST_CASE("days_from_iso and iso_from_days are inverses") {
  CHECK(days_from_iso("1970-01-01") == 0);
  CHECK(days_from_iso("1970-01-02") == 1);
  CHECK(iso_from_days(days_from_iso("2022-11-25")) == "2022-11-25");
  CHECK(iso_from_days(days_from_iso("2024-02-29") + 1) == "2024-03-01");
}
