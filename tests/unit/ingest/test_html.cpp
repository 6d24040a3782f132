/// @file test_html.cpp
#include <doctest/doctest.h>

#include <algorithm>

#include "ingest/ingest.h"
#include "ingest/nesting.h"
#include "support.h"

using namespace clippings;

namespace {

const std::filesystem::path kData = std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "ingest";

Article read_html(const std::string& name, const Metadata* catalog = nullptr) {
  const Extractor extractor{default_config()};
  const Origin origin{"pages/" + name, name, (kData / name).string(), 0};
  auto article = extractor.from_html(test::read_file(kData / name), origin, catalog);
  REQUIRE_MESSAGE(article.ok(), article.error().message);
  return *article;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("HTML: Open Graph, canonical link, meta author and the <article> text") {
  const Article a = read_html("full_meta.html");
  CHECK(a.title == "Harbour Ferry Returns After Winter Repairs");
  CHECK(a.outlet == "Lakeside Courier");
  CHECK(a.date == "2023-04-12");
  CHECK(a.url == "https://www.lakesidecourier.example/2023/04/12/ferry-returns/");
  CHECK(a.id == "https://lakesidecourier.example/2023/04/12/ferry-returns");
  CHECK(a.author == "Mira Castellane");
  CHECK(a.lang == "en");
  const std::string expected =
      "The old harbour ferry \u201cMarigold\u201d sailed again on Wednesday after three months in "
      "dry dock & a new coat of paint.\n\n"
      "Passengers queued from dawn.\nSome brought flasks of tea \u2014 others brought dogs.\n\n"
      "Timetable\n\nFirst crossing at 06:40\n\nLast crossing at 21:15";
  CHECK(a.text == expected);
  for (const char* dropped : {"script text", "color: red", "navigation", "masthead", "Caption text",
                              "Related:", "newsletter form", "noscript text", "footer text"}) {
    CAPTURE(dropped);
    CHECK_FALSE(contains(a.text, dropped));
  }
}

TEST_CASE("HTML: <title> without its site suffix, JSON-LD @graph, og:url and <main>") {
  const Article a = read_html("jsonld_graph.html");
  CHECK(a.title == "Orchard Growers Expect Early Blossom");
  CHECK(a.date == "2022-02-17");
  CHECK(a.author == "Tomas Eberly, Ines Farrow");
  CHECK(a.url == "https://news.valleyledger.example/orchards/early-blossom?utm_source=feed");
  CHECK(a.id == "https://news.valleyledger.example/orchards/early-blossom");
  CHECK(a.outlet == "news.valleyledger.example");
  CHECK(a.text ==
        "Growers in the valley say the mild weather has brought the apple blossom forward by "
        "almost two weeks.\n\nA frost in late March could still spoil the crop, they warn.");
}

TEST_CASE("HTML: first <h1>, <time datetime>, JSON-LD array author, <body> text") {
  const Article a = read_html("time_h1.html");
  CHECK(a.title == "Library Extends Opening Hours");
  CHECK(a.date == "2021-03-04");
  CHECK(a.author == "Odile Brandt");
  CHECK(a.outlet.empty());
  CHECK(a.text.rfind("Posted 4 March\n\nThe town library will stay open", 0) == 0);
  CHECK_FALSE(contains(a.text, "Library Extends Opening Hours"));  // the title is not repeated
  CHECK_FALSE(contains(a.text, "Sections"));
  CHECK_FALSE(contains(a.text, "newsroom"));
}

TEST_CASE("HTML: a page without metadata falls back to extraction, the catalog wins") {
  const Article bare = read_html("bare.html");
  CHECK(bare.title == "A short notice without any metadata at all sits here");
  CHECK(bare.author.empty());  // article:author holding a profile URL is not a name
  CHECK(bare.id == "bare.html");
  Metadata catalog;
  catalog.title = "Catalog Title";
  catalog.url = "https://www.themoscowtimes.com/2020/01/02/x";
  const Article listed = read_html("full_meta.html", &catalog);
  CHECK(listed.title == "Catalog Title");
  CHECK(listed.url == catalog.url);
  CHECK(listed.author == "Mira Castellane");
}

TEST_CASE("HTML: JSON-LD author forms and date sources, table-driven") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* head;
    const char* author;
    const char* date;
  } cases[] = {
      {R"(<script type="application/ld+json">{"author": "Plain Name", "datePublished": "2020-01-02"}</script>)",
       "Plain Name", "2020-01-02"},
      {R"(<script type="application/ld+json">{"author": {"name": "Object Name"}}</script>)",
       "Object Name", ""},
      {R"(<script type="application/ld+json">{"author": ["A One", {"name": "B Two"}]}</script>)",
       "A One, B Two", ""},
      {R"(<script type="application/ld+json">{not json</script><meta name="author" content="Meta Name">)",
       "Meta Name", ""},
      {R"(<meta property="article:author" content="Property Name"><meta property="article:published_time" content="2019-12-31T23:00:00Z">)",
       "Property Name", "2019-12-31"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.head);
    const std::string page = std::string{"<html><head>"} + c.head +
                             "</head><body><p>Some body text for the page.</p></body></html>";
    auto article = extractor.from_html(page, Origin{"p.html", "p.html", "", 0}, nullptr);
    REQUIRE(article.ok());
    CHECK(article->author == c.author);
    CHECK(article->date == c.date);
  }
  auto empty = extractor.from_html("<html><body><nav>Only navigation</nav></body></html>",
                                   Origin{"e.html", "e.html", "", 0}, nullptr);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "empty_article");
}

TEST_CASE("HTML: rel is a list of link types, in any case") {
  const Extractor extractor{default_config()};
  struct Case {
    const char* rel;
    const char* url;
  } cases[] = {
      {"canonical", "https://ledger.example/a"},
      {"Alternate\tCANONICAL", "https://ledger.example/a"},
      {"noncanonical", ""},
      {"canonical-link", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.rel);
    const std::string page = std::string{"<html><head><link rel=\""} + c.rel +
                             "\" href=\"https://ledger.example/a\"></head>"
                             "<body><p>Some body text for the page.</p></body></html>";
    auto article = extractor.from_html(page, Origin{"p.html", "p.html", "", 0}, nullptr);
    REQUIRE(article.ok());
    CHECK(article->url == c.url);
  }
}

namespace {

/// How deeply the tags of `html` nest, counting every start tag and end tag (the pages below
/// have no others).
std::size_t tag_depth(const std::string& html) {
  std::size_t depth = 0, deepest = 0;
  for (std::size_t i = 0; i + 1 < html.size(); ++i) {
    if (html[i] != '<') continue;
    if (html[i + 1] == '/') {
      depth -= depth > 0 ? 1 : 0;
    } else {
      deepest = std::max(deepest, ++depth);
    }
  }
  return deepest;
}

std::string repeated(const std::string& part, std::size_t count) {
  std::string out;
  out.reserve(part.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += part;
  return out;
}

Result<Article> parse_html(const std::string& html) {
  const Extractor extractor{default_config()};
  return extractor.from_html(html, Origin{"deep.html", "deep.html", "/pages/deep.html", 0}, nullptr);
}

}  // namespace

TEST_CASE("HTML: 200,000 nested elements reach the parser at most 512 deep, their text kept") {
  // The parser looks through every open element for each tag: nested N deep, a page cost N^2
  // (100,000 <div>s took two minutes). Bounded, it costs N * 512 at most.
  constexpr std::size_t kCount = 200000;
  const struct {
    const char* open;
    const char* close;
  } shapes[] = {{"<div>", "</div>"}, {"<span class=\"x\">", "</span>"}, {"<b>", "</b>"},
                {"<blockquote>", "</blockquote>"}};
  for (const auto& shape : shapes) {
    CAPTURE(shape.open);
    const std::string page = "<html><body><p>Harbour news.</p>" + repeated(shape.open, kCount) +
                             "Deep ferry text" + repeated(shape.close, kCount) +
                             "<p>After the depths.</p></body></html>";
    const auto bounded = html_within_depth(page, kMaxHtmlDepth);
    REQUIRE(bounded.has_value());
    CHECK(tag_depth(*bounded) <= kMaxHtmlDepth + 2);  // <html> and <body> do not nest
    auto article = parse_html(page);
    REQUIRE_MESSAGE(article.ok(), article.error().message);
    CHECK(contains(article->text, "Harbour news."));
    CHECK(contains(article->text, "Deep ferry text"));
    CHECK(contains(article->text, "After the depths."));
    REQUIRE(article->warnings.size() == 1);
    CHECK(article->warnings[0] == "HTML nested deeper than 512 elements: the deeper tags were ignored");
  }
}

TEST_CASE("HTML: what does not nest is not counted, so ordinary pages pass unchanged") {
  const std::string unclosed = "<html><body>" + repeated("<p>Para<li>item<br><img src=x>", 5000) +
                               repeated("<svg><path d='M0'/></svg>", 1000) +
                               "<script>" + repeated("<div>", 1000) + "</script>" +
                               "<!--" + repeated("<div>", 1000) + "-->" +
                               "<div title='<div><div>'>" + repeated("<div></div>", 1000) +
                               "</div></body></html>";
  CHECK_FALSE(html_within_depth(unclosed, kMaxHtmlDepth).has_value());
  const std::string at_limit = repeated("<div>", kMaxHtmlDepth) + "x";
  CHECK_FALSE(html_within_depth(at_limit, kMaxHtmlDepth).has_value());
  CHECK(html_within_depth(at_limit + "<div>", kMaxHtmlDepth) == at_limit + " ");
}

TEST_CASE("HTML: JSON-LD nested 200,000 deep is ignored with a warning, the page indexed") {
  for (const std::string& jsonld :
       {std::string(200000, '[') + std::string(200000, ']'),
        R"({"author": )" + std::string(200000, '[') + std::string(200000, ']') + "}"}) {
    const std::string page =
        "<html><head><script type=\"application/ld+json\">" + jsonld +
        "</script><title>Ferry Timetable Changes</title></head>"
        "<body><article><p>The ferry leaves at six.</p></article></body></html>";
    auto article = parse_html(page);
    REQUIRE_MESSAGE(article.ok(), article.error().message);
    CHECK(article->title == "Ferry Timetable Changes");
    CHECK(article->text == "The ferry leaves at six.");
    REQUIRE(article->warnings.size() == 1);
    CHECK(article->warnings[0] == "JSON-LD nested deeper than 64 levels: ignored");
  }
  // A list of lists of authors is not a list of authors (and is not followed down).
  auto nested = parse_html(
      R"(<html><head><script type="application/ld+json">{"author": [[{"name": "A"}], {"name": "B"}]})"
      "</script></head><body><p>The ferry leaves at six.</p></body></html>");
  REQUIRE(nested.ok());
  CHECK(nested->author == "B");
}
