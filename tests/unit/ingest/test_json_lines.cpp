/// @file test_json_lines.cpp
/// JSON Lines records in the shapes of the two benchmark exports (fictional content).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/ingest.h"

using namespace clippings;

namespace {

const Origin kOrigin{"exports/feed.jsonl", "feed.jsonl", "/data/exports/feed.jsonl", 4};

}  // namespace

TEST_CASE("JSON Lines: field names vary, the first present non-empty one wins") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* line;
    const char* id;
    const char* title;
    const char* outlet;
    const char* date;
    const char* author;
    const char* url;
    const char* text_start;
  } cases[] = {
      // The shape of the opinion-bias export: body, authors, date or null, outlet_url.
      {R"({"id": "k3JxQ9", "outlet": "Harbor Daily - News", "outlet_url": "www.harbordaily.example",
          "url": "http://www.harbordaily.example/2016/09/20/ferry.html?&hp&action=click",
          "date": "2016-09-20", "authors": "Lena Quarry", "title": "Ferry Service Resumes",
          "topic": "transport", "bias": "center",
          "body": "Ferry Service Resumes\n\nThe ferry runs again from Monday, officials said."})",
       "k3JxQ9", "Ferry Service Resumes", "Harbor Daily - News", "2016-09-20", "Lena Quarry",
       "http://www.harbordaily.example/2016/09/20/ferry.html?&hp&action=click",
       "The ferry runs again from Monday"},
      {R"({"id": "p0Zr", "outlet": "Valley Wire", "url": "http://valleywire.example/x",
          "date": null, "authors": "", "title": "Orchard Prices Climb", "body": "Apple prices rose."})",
       "p0Zr", "Orchard Prices Climb", "Valley Wire", "", "", "http://valleywire.example/x",
       "Apple prices rose."},
      // The shape of the wire-service export: a date with a time, hard line breaks in the body.
      {R"({"id": "markets-grain-idUS1", "outlet": "Wire Service", "date": "2009-05-14T16:25",
          "title": "Grain futures edge higher", "authors": "Pat Lowry and Kim Osei",
          "url": "http://www.wireservice.example/article/2009/05/14/markets-grain-idUS1",
          "section": "markets",
          "body": "CHICAGO (Wire) - Grain futures\nedged higher on Thursday.\n\nTraders said rain helped."})",
       "markets-grain-idUS1", "Grain futures edge higher", "Wire Service", "2009-05-14",
       "Pat Lowry and Kim Osei",
       "http://www.wireservice.example/article/2009/05/14/markets-grain-idUS1",
       "CHICAGO (Wire) - Grain futures\nedged higher on Thursday.\n\nTraders said rain helped."},
      // Other names from the field map; authors as an array; numbers; an empty first choice.
      {R"({"guid": 42, "headline": "Bridge Opens", "text": "", "content": "The bridge opened.",
          "link": "https://www.rivertonpost.example/bridge/", "authors": ["Ada Quill", "Ben Harrow"],
          "published_at": "2020-09-14T08:00:00Z", "language": "en"})",
       "42", "Bridge Opens", "rivertonpost.example", "2020-09-14", "Ada Quill, Ben Harrow",
       "https://www.rivertonpost.example/bridge/", "The bridge opened."},
      {R"({"body": "Council Votes\n\nThe council voted on Tuesday.", "author": {"name": "Ida Marsh"},
          "timestamp": 1600000000})",
       "feed.jsonl:4", "Council Votes", "", "2020-09-13", "Ida Marsh", "",
       "The council voted on Tuesday."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    auto result = extractor.from_json_line(c.line, kOrigin);
    REQUIRE_MESSAGE(result.ok(), result.error().message);
    CHECK(result->id == c.id);
    CHECK(result->title == c.title);
    CHECK(result->outlet == c.outlet);
    CHECK(result->date == c.date);
    CHECK(result->author == c.author);
    CHECK(result->url == c.url);
    CHECK(result->text.rfind(c.text_start, 0) == 0);
    CHECK(result->source == "exports/feed.jsonl:4");
  }
}

TEST_CASE("JSON Lines: the configured field map decides which names are read") {
  Config config = default_config();
  config.fields.text = {"story"};
  config.fields.title = {"heading"};
  const Extractor extractor{config};
  auto result = extractor.from_json_line(
      R"({"heading": "Configured Title", "title": "Ignored", "story": "The story text."})", kOrigin);
  REQUIRE(result.ok());
  CHECK(result->title == "Configured Title");
  CHECK(result->text == "The story text.");
  auto missing = extractor.from_json_line(R"({"text": "Not a configured name."})", kOrigin);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("story") != std::string::npos);
}

TEST_CASE("JSON Lines: bad lines are rejected with a reason") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* line;
    const char* code;
    const char* message_part;
  } cases[] = {
      {R"({"title": "x", "body": "unterminated)", "invalid_json", "invalid JSON"},
      {"not json at all", "invalid_json", "invalid JSON"},
      {"[1, 2, 3]", "invalid_json", "found array"},
      {"\"just a string\"", "invalid_json", "found string"},
      {"   ", "invalid_json", "blank line"},
      {R"({"id": "x1"})", "missing_text", "no article text or title"},
      {R"({"title": " ", "body": "  "})", "missing_text", "body"},
      {R"({"body": null, "text": "Advertisement"})", "empty_article", "empty article"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    auto result = extractor.from_json_line(c.line, kOrigin);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == c.code);
    CHECK(result.error().message.find(c.message_part) != std::string::npos);
  }
}

TEST_CASE("JSON Lines: a headline without a body is an article whose text is its title") {
  const Extractor extractor{default_config()};
  for (const char* line : {R"({"title": "Port of Vessa reopens", "outlet": "Valley Wire"})",
                           R"({"headline": "Port of Vessa reopens", "body": " ", "text": null})",
                           R"({"title": "Port of Vessa reopens", "body": "Port of Vessa reopens"})"}) {
    CAPTURE(line);
    auto result = extractor.from_json_line(line, kOrigin);
    REQUIRE_MESSAGE(result.ok(), result.error().message);
    CHECK(result->title == "Port of Vessa reopens");
    CHECK(result->text == "Port of Vessa reopens");
  }
}

TEST_CASE("JSON Lines: invalid UTF-8 inside a record is repaired, not rejected") {
  const Extractor extractor{default_config()};
  auto result = extractor.from_json_line("{\"title\": \"Caf\xE9\", \"body\": \"Tea \xFF here.\"}",
                                         kOrigin);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(result->title == "Caf\xEF\xBF\xBD");
  CHECK(result->text == "Tea \xEF\xBF\xBD here.");
}

TEST_CASE("JSON Lines: a date that is not a date leaves the article undated, with a warning") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* line;
    const char* warning_part;  // "" = no warning
    const char* date;
  } cases[] = {
      // Numbers out of the years 1000-9999 were cast to a day count without a check.
      {R"({"date": 1e300, "text": "The ferry runs."})", "date '1e+300' is not a valid date", ""},
      {R"({"date": -1e300, "text": "The ferry runs."})", "date '-1e+300' is not a valid date", ""},
      {R"({"date": 1e16, "text": "The ferry runs."})", "is not a valid date", ""},
      {R"({"date": "2022-02-30", "text": "The ferry runs."})", "date '2022-02-30' is not a valid date", ""},
      {R"({"date": "99999-01-01", "text": "The ferry runs."})", "date '99999-01-01' is not a valid date", ""},
      {R"({"date": "2022-11-25T25:00", "text": "The ferry runs."})", "is not a valid date", ""},
      // Seconds and milliseconds give the UTC day.
      {R"({"date": 1669419000, "text": "The ferry runs."})", "", "2022-11-25"},
      {R"({"date": 1669419000000, "text": "The ferry runs."})", "", "2022-11-25"},
      // An offset is applied: the same moment as 1669437000, the UTC day after.
      {R"({"date": "2022-11-25T23:30:00-05:00", "text": "The ferry runs."})", "", "2022-11-26"},
      {R"({"date": 1669437000, "text": "The ferry runs."})", "", "2022-11-26"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    auto result = extractor.from_json_line(c.line, kOrigin);
    REQUIRE_MESSAGE(result.ok(), result.error().message);
    CHECK(result->date == c.date);
    if (*c.warning_part == '\0') {
      CHECK(result->warnings.empty());
    } else {
      REQUIRE(result->warnings.size() == 1);
      CHECK(result->warnings[0].find(c.warning_part) != std::string::npos);
    }
  }
}

TEST_CASE("JSON Lines: nesting deeper than the limit is rejected before it is parsed") {
  const Extractor extractor{default_config()};
  const std::size_t depth = 200000;
  const std::string arrays = R"({"text": "The ferry runs.", "x": )" + std::string(depth, '[') +
                             std::string(depth, ']') + "}";
  const std::string objects = [&] {
    std::string s = R"({"text": "The ferry runs.")";
    for (std::size_t i = 0; i < depth; ++i) s += R"(, "a": {"b": 1)";
    return s + std::string(depth + 1, '}');
  }();
  for (const std::string& line : {arrays, objects}) {
    auto result = extractor.from_json_line(line, kOrigin);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "invalid_json");
    CHECK(result.error().message == "JSON nested deeper than 64 levels");
  }
  // At the limit, and with brackets inside strings, a record is read as usual.
  const std::string deep_enough =
      R"({"text": "The [ferry] {runs} \"[[[\".", "x": )" + std::string(63, '[') +
      std::string(63, ']') + "}";
  auto result = extractor.from_json_line(deep_enough, kOrigin);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(result->text == R"(The [ferry] {runs} "[[[".)");
}

TEST_CASE("JSON Lines: a number beyond a double is invalid JSON, not a crash") {
  const Extractor extractor{default_config()};
  auto overflow = extractor.from_json_line(R"({"text": "The ferry ran.", "views": 1e3000})", kOrigin);
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().code == "invalid_json");
  CHECK(overflow.error().message == "invalid JSON: number overflow parsing '1e3000'");
  // The input the fuzzer found (fuzz_json_line), as it was.
  std::ifstream file{std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "fuzz" / "json_line-number-overflow",
                     std::ios::binary};
  REQUIRE(file);
  std::ostringstream found;
  found << file.rdbuf();
  auto fuzzed = extractor.from_json_line(found.str(), kOrigin);
  REQUIRE_FALSE(fuzzed.ok());
  CHECK(fuzzed.error().code == "invalid_json");
}
