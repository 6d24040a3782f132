/// @file test_url.cpp
#include <doctest/doctest.h>

#include <map>

#include "ingest/ingest.h"

using namespace clippings;

TEST_CASE("normalize_url gives the id form of a URL") {
  struct Case {
    const char* input;
    const char* expected;
  } cases[] = {
      {"https://www.Example.com/a/?utm_source=x#top", "https://example.com/a"},
      {"HTTP://WWW.EXAMPLE.COM/Path/Case", "http://example.com/Path/Case"},
      {"https://example.com/", "https://example.com/"},
      {"https://example.com", "https://example.com/"},
      {"https://example.com/a/b/", "https://example.com/a/b"},
      {"https://example.com/a?b=1&utm_medium=m&fbclid=z&gclid=y&c=2", "https://example.com/a?b=1&c=2"},
      {"https://example.com/a?utm_campaign=q", "https://example.com/a"},
      {"https://example.com/a/?&hp&action=click", "https://example.com/a?hp&action=click"},
      {"  https://news.example.org/x#frag  ", "https://news.example.org/x"},
      {"https://wwwexample.com/a", "https://wwwexample.com/a"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(normalize_url(c.input) == c.expected);
  }
}

TEST_CASE("normalize_url: spaces and control characters are escaped, and a scheme is a scheme") {
  struct Case {
    const char* input;
    const char* expected;
  } cases[] = {
      {"https://example.com/a b/", "https://example.com/a%20b"},
      {"/\t/", "/%09"},
      {"https://example.com/a\x01" "b\x7f", "https://example.com/a%01b%7f"},
      // A "://" in the query of a URL without a scheme does not make one.
      {"example.com/page?from=https://other.example/x", "example.com/page?from=https://other.example/x"},
      {"1http://example.com/a", "1http//example.com/a"},  // not a scheme: "1http:" is a host
      {"svn+ssh://Example.com/a", "svn+ssh://example.com/a"},
      // What a second normalisation would read differently is settled the first time.
      {"//http://x/", "http//x"},
      {"////x", "/x"},
      {"www.www.example.com/a", "example.com/a"},
      {"example.com:/a", "example.com/a"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(normalize_url(c.input) == c.expected);
  }
}

TEST_CASE("normalize_url is idempotent: a normalised URL normalises to itself") {
  const char* inputs[] = {
      "/\t/",
      "  https://www.Example.com/a/?utm_source=x&b=1#top  ",
      "//http://x/",
      "////x",
      "www.www.example.com",
      "x:///y",
      "http://a@www.EXAMPLE.com:/p/ /",
      "example.com/page?from=https://other.example/x",
      "?&&utm_x=1&a",
      "a b\x7f/ ?q=1 2",
      "\x01http://x",
      "http:////x//",
  };
  for (const char* input : inputs) {
    CAPTURE(input);
    const std::string once = normalize_url(input);
    CHECK(normalize_url(once) == once);
  }
}

TEST_CASE("url_host and outlet_from_url: a URL without a scheme keeps its host") {
  const std::map<std::string, std::string> outlets = {{"valley-wire.example", "Valley Wire"}};
  CHECK(url_host("valley-wire.example/2022/story?via=https://aggregator.example/x") ==
        "valley-wire.example");
  CHECK(outlet_from_url("www.valley-wire.example/story?ref=http://other.example", outlets) ==
        "Valley Wire");
  CHECK(url_host("https://valley-wire.example/?ref=http://other.example") == "valley-wire.example");
}

TEST_CASE("outlet_from_url maps hosts and parent domains, else shows the host") {
  const std::map<std::string, std::string> outlets = {
      {"themoscowtimes.com", "The Moscow Times"}, {"cnn.com", "CNN"}, {"news.example.org", "Example News"}};
  struct Case {
    const char* url;
    const char* expected;
  } cases[] = {
      {"https://www.themoscowtimes.com/2022/11/25/a", "The Moscow Times"},
      {"https://edition.cnn.com/world/x", "CNN"},
      {"http://a.b.cnn.com:8080/x", "CNN"},
      {"https://news.example.org/x", "Example News"},
      {"https://other.example.org/x", "other.example.org"},
      {"https://www.Unmapped.example/x", "unmapped.example"},
      {"https://notcnn.com/x", "notcnn.com"},
      {"", ""},
      {"not a url", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.url);
    CHECK(outlet_from_url(c.url, outlets) == c.expected);
  }
}

TEST_CASE("find_date looks at the first lines, then the URL path") {
  struct Case {
    const char* text;
    const char* url;
    const char* expected;
  } cases[] = {
      {" date 2022-11-25 Home page politics\n\nBody.", "", "2022-11-25"},
      {"Headline\n\nPublished 2021-06-30T14:05 in Town\n\nBody.", "", "2021-06-30"},
      {"Headline\nBody.", "https://x.example/2022/11/25/story", "2022-11-25"},
      {"Headline\nBody.", "https://x.example/news/2020-02-29/story", "2020-02-29"},
      {"Headline\nBody.", "https://x.example/2022/11/story", ""},
      {"Headline\nBody.", "https://x.example/2022/13/45/story", ""},
      {"Headline\nBody.", "https://x.example/world/335369.html", ""},
      {"The 2023-02-30 date is not real.", "", ""},
      {"Lines\n2\n3\n4\n5\nsixth line 2019-01-01", "", ""},  // only the first five lines count
      {"Text 2019-01-01", "https://x.example/2022/11/25/", "2019-01-01"},  // text first
      {"id 12022-11-250", "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CAPTURE(c.url);
    CHECK(find_date(c.text, c.url) == c.expected);
  }
}

TEST_CASE("format_of goes by extension, case-insensitively") {
  CHECK(format_of("a/b.txt") == InputFormat::kText);
  CHECK(format_of("b.MD") == InputFormat::kText);
  CHECK(format_of("c.Html") == InputFormat::kHtml);
  CHECK(format_of("c.htm") == InputFormat::kHtml);
  CHECK(format_of("d.jsonl") == InputFormat::kJsonLines);
  CHECK(format_of("d.NDJSON") == InputFormat::kJsonLines);
  CHECK(format_of("e.pdf") == InputFormat::kUnsupported);
  CHECK(format_of("noext") == InputFormat::kUnsupported);
}

TEST_CASE("Origin::location is file or file:line") {
  CHECK(Origin{"a.jsonl", "a.jsonl", "/x/a.jsonl", 12}.location() == "a.jsonl:12");
  CHECK(Origin{"b.txt", "b.txt", "/x/b.txt", 0}.location() == "b.txt");
  CHECK(Origin{"-", "", "", 3}.location() == "-:3");
}
