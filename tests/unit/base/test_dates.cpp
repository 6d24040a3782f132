/// @file test_dates.cpp
#include <doctest/doctest.h>

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
