/// @file test_text.cpp
#include <doctest/doctest.h>

#include "ingest/text.h"

using namespace clippings;

TEST_CASE("clean_lines trims, collapses whitespace and paragraph breaks") {
  struct Case {
    const char* input;
    const char* expected;  // joined with join_lines
  } cases[] = {
      {"a\r\nb\r\n", "a\nb"},
      {"\n\n  first  \n\n\n\n second\t\tpart \n\n", "first\n\nsecond part"},
      {"x\xC2\xA0\xC2\xA0y\xE2\x80\x83z", "x y z"},             // no-break and em spaces
      {"zero\xE2\x80\x8Bwidth\xEF\xBB\xBF", "zerowidth"},        // ZWSP and BOM dropped
      {"\t\t\t \t\tAlexander / TASS", "Alexander / TASS"},
      {"one\xE2\x80\xA9two", "one\n\ntwo"},                     // paragraph separator
      {"old\rmac", "old\nmac"},
      {" \n \t \n", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(text::join_lines(text::clean_lines(c.input)) == c.expected);
  }
  CHECK(text::clean_lines("a\n\n\nb") == std::vector<std::string>{"a", "", "b"});
}

TEST_CASE("is_headline tells a headline from a sentence") {
  struct Case {
    std::string line;
    bool expected;
  } cases[] = {
      {"Putin Meets With Carefully Selected Group of Soldiers' Mothers", true},
      {"Watch: Russian troops hand out flowers in occupied Ukraine on International Women\u2019s Day", true},
      {"Is the Ferry Safe?", true},
      {"Talks Resume in the U.S.", true},
      {"Russian state media released footage of the meeting.", false},
      {"He said it was \u201cover.\u201d", false},
      {"and then it continued", false},
      {"Trailing comma,", false},
      {"Colon at the end:", false},
      {"First sentence. Second sentence", false},
      {"2022", false},
      {"x", false},
      {std::string(201, 'A'), false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    CHECK(text::is_headline(c.line) == c.expected);
  }
}

TEST_CASE("sentence_title takes the first sentence, shortened at a word") {
  struct Case {
    const char* paragraph;
    const char* expected;
  } cases[] = {
      {"Short lead. Second sentence.", "Short lead"},
      {"Mr. Smith met Dr. Jones on Friday. Then more.", "Mr. Smith met Dr. Jones on Friday"},
      {"Did it work? Yes.", "Did it work?"},
      {"No terminator at all", "No terminator at all"},
      {"The committee, which met for the fourth time this year in the old town hall, agreed on "
       "Tuesday to postpone its vote on the new harbour plan.",
       "The committee, which met for the fourth time this year in the old town hall, agreed on "
       "Tuesday to postpone its vote on\u2026"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.paragraph);
    CHECK(text::sentence_title(c.paragraph) == c.expected);
  }
  CHECK(text::length_utf8(text::sentence_title(std::string(300, 'x'))) == 121);
}

TEST_CASE("byline_author reads bylines and nothing else") {
  struct Case {
    const char* line;
    const char* expected;  // "" = not a byline
  } cases[] = {
      {"Of: Daniel Dillman", "Daniel Dillman"},
      {"By Jane Doe", "Jane Doe"},
      {"by: Jane Doe and John Roe", "Jane Doe and John Roe"},
      {"By N. R. Kleinfield", "N. R. Kleinfield"},
      {"By Ursula von der Leyen", "Ursula von der Leyen"},
      {"By Hannah Lowe \u00b7 September 12, 2022", "Hannah Lowe"},
      {"By Jean-Luc Marchand | Staff writer", "Jean-Luc Marchand"},
      {"By Friday, the troops had left.", ""},
      {"By then it was over", ""},
      {"Of course not", ""},
      {"By 2025 prices will rise", ""},
      {"Bystanders gathered", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    CHECK(text::byline_author(c.line).value_or("") == c.expected);
  }
}

TEST_CASE("is_dateline recognises lines that only give a date") {
  struct Case {
    const char* line;
    bool expected;
  } cases[] = {
      {" date 2022-11-25 Home page politics", true},
      {"2022-11-25", true},
      {"Published: 2022-11-25T10:00", true},
      {"Updated 2021-01-02 18:00 CET", true},
      {"On 2022-11-25 the council met.", false},
      {"date 2022-13-25", false},
      {"Date of the meeting is unknown", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.line);
    CHECK(text::is_dateline(c.line) == c.expected);
  }
}
