/// @file test_params.cpp
/// The parameter parsers the HTTP layer uses.
#include <doctest/doctest.h>

#include "search/searcher.h"

using namespace clippings;

TEST_CASE("parse_sort") {
  CHECK(*parse_sort("relevance", "sort") == SortOrder::kRelevance);
  CHECK(*parse_sort("", "sort") == SortOrder::kRelevance);
  CHECK(*parse_sort("newest", "sort") == SortOrder::kNewest);
  CHECK(*parse_sort("oldest", "sort") == SortOrder::kOldest);
  CHECK(*parse_sort("indexed", "sort") == SortOrder::kIndexed);
  auto bad = parse_sort("Newest", "sort");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().status == 400);
  CHECK(bad.error().param == "sort");
  CHECK(bad.error().message == "sort: expected relevance, newest, oldest or indexed, got 'Newest'");
}

TEST_CASE("parse_interval") {
  struct Case {
    const char* text;
    Interval interval;
  };
  const Case cases[] = {{"", Interval::kAuto},       {"auto", Interval::kAuto},
                        {"day", Interval::kDay},     {"week", Interval::kWeek},
                        {"month", Interval::kMonth}, {"year", Interval::kYear}};
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto parsed = parse_interval(c.text, "interval");
    REQUIRE(parsed.ok());
    CHECK(*parsed == c.interval);
  }
  auto bad = parse_interval("hour", "interval");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "interval: expected auto, day, week, month or year, got 'hour'");
}

TEST_CASE("parse_date_param takes a year, month or day as a first or last day") {
  struct Case {
    const char* text;
    bool as_end;
    const char* expected;
  };
  const Case cases[] = {
      {"2022", false, "2022-01-01"},       {"2022", true, "2022-12-31"},
      {"2024-02", true, "2024-02-29"},     {"2023-02", true, "2023-02-28"},
      {"2022-11", false, "2022-11-01"},    {"2022-11-25", true, "2022-11-25"},
      {"", false, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto parsed = parse_date_param(c.text, c.as_end, "from");
    REQUIRE(parsed.ok());
    CHECK(*parsed == c.expected);
  }
  const char* bad_cases[] = {"x", "2022-13", "2022-02-30", "22", "2022/11/25", "2022-11-25T10"};
  for (const char* text : bad_cases) {
    CAPTURE(text);
    auto parsed = parse_date_param(text, false, "from");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().status == 400);
    CHECK(parsed.error().param == "from");
  }
  CHECK(parse_date_param("x", false, "from").error().message ==
        "from: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got 'x'");
  // Whatever was sent, the message stays valid UTF-8 and short.
  CHECK(parse_date_param("\xff" + std::string(100, 'y'), false, "to").error().message ==
        "to: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '\xEF\xBF\xBD" +
            std::string(39, 'y') + "…'");
}
