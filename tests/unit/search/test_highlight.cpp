/// @file test_highlight.cpp
/// Snippets and highlighted text: escaping, stemmed matches, phrases, wildcards, windows.
#include <doctest/doctest.h>

#include <xapian.h>

#include "fixture.h"
#include "schema.h"
#include "search/highlight.h"
#include "search/query_terms.h"

using namespace clippings;
using namespace clippings::test;

namespace {

/// Highlight terms of `q` as the searcher's parser makes them.
search::QueryTerms terms_of(const std::string& q) {
  Xapian::QueryParser parser;
  parser.set_stemmer(Xapian::Stem("en"));
  parser.set_stemming_strategy(schema::kQueryStemming);
  parser.add_prefix("title", std::string{schema::kPrefixTitle});
  parser.add_prefix("author", std::string{schema::kPrefixAuthor});
  parser.set_default_op(Xapian::Query::OP_AND);
  return search::query_terms(parser.parse_query(
      q, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
             Xapian::QueryParser::FLAG_PURE_NOT));
}

const Hit* find_hit(const SearchResponse& response, const std::string& id) {
  for (const Hit& hit : response.hits) {
    if (hit.id == id) return &hit;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("escape_html escapes the five special characters") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"plain", "plain"},
      {"a & b", "a &amp; b"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"},
      {"", ""},
      {"déjà vu", "déjà vu"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_html(c.in) == c.out);
  }
}

TEST_CASE("whole texts are escaped with matches marked, stems and phrases included") {
  search::Highlighter highlighter{Xapian::Stem("en")};
  struct Case {
    const char* q;
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"meeting", "Meetings, a meeting; she meets them. Meet!",
       "<mark>Meetings</mark>, a <mark>meeting</mark>; she <mark>meets</mark> them. <mark>Meet</mark>!"},
      {"mother", "The mother's day & mothers", "The <mark>mother&#39;s</mark> day &amp; <mark>mothers</mark>"},
      {"script", "x <script>alert(1)</script>",
       "x &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"},
      {"\"council engineers\"", "council met. engineers left. Council engineers agreed",
       "council met. engineers left. <mark>Council</mark> <mark>engineers</mark> agreed"},
      {"vine*", "Vineyards and vines, not wine", "<mark>Vineyards</mark> and <mark>vines</mark>, not wine"},
      {"bridge -harbour", "harbour bridge", "harbour <mark>bridge</mark>"},
      {"NOT harbour", "harbour bridge", "harbour bridge"},
      {"title:bridge", "harbour bridge", "harbour bridge"},  // title: terms mark titles only
      {"author:quill", "Quill", "Quill"},
      {"1,000 2022", "1,000 ships in 2022", "<mark>1,000</mark> ships in <mark>2022</mark>"},
      {"café", "Café culture, \"quoted\"", "<mark>Café</mark> culture, &quot;quoted&quot;"},
      // Where a plain ASCII word may go on: a curly apostrophe, a letter beyond ASCII, digits.
      {"trump", "Trump’s rally, TRUMP.", "<mark>Trump’s</mark> rally, <mark>TRUMP</mark>."},
      {"naive", "Naïve or naive", "Naïve or <mark>naive</mark>"},
      {"2022", "In 2022, 1.5 million; 2022", "In <mark>2022</mark>, 1.5 million; <mark>2022</mark>"},
      {"us", "U.S. and us", "U.S. and <mark>us</mark>"},
  };
  for (const auto& c : cases) {
    const std::string q_text = c.q;
    CAPTURE(q_text);
    CHECK(highlighter.highlight(c.text, terms_of(c.q).body) == c.expected);
  }
  CHECK(highlighter.highlight("Council approves harbour bridge", terms_of("title:bridge").title) ==
        "Council approves harbour <mark>bridge</mark>");
}

TEST_CASE("stems that change a word's start still match, whichever the stemmer") {
  // English words are tested for a match only if they start with a term's first byte:
  // "lying" stems to "lie", so two bytes would be too many.
  search::Highlighter english{Xapian::Stem("en")};
  CHECK(english.highlight("Lying, dying and tying", terms_of("lies OR dies OR ties").body) ==
        "<mark>Lying</mark>, <mark>dying</mark> and <mark>tying</mark>");
  CHECK(english.snippet("They were lying.", terms_of("lie").body, 40) ==
        "They were <mark>lying</mark>.");

  // German drops umlauts ("über" -> "uber"): no first byte is kept, every word is looked up.
  const Xapian::Stem german{"de"};
  search::Highlighter highlighter{german};
  search::TermSet terms;
  terms.words.insert(german("über"));
  CHECK(highlighter.highlight("Über den Fluss", terms) == "<mark>Über</mark> den Fluss");
}

TEST_CASE("snippets are a window around the best matches, cut at words") {
  search::Highlighter highlighter{Xapian::Stem("en")};
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += "lorem ipsum dolor ";
  const std::string text = filler + "the harbour bridge opened. " + filler + "a bridge.";

  const std::string snippet = highlighter.snippet(text, terms_of("harbour bridge").body, 60);
  CHECK(snippet.starts_with("…"));
  CHECK(snippet.ends_with("…"));
  CHECK(snippet.find("<mark>harbour</mark> <mark>bridge</mark> opened.") != std::string::npos);
  // 60 characters of text plus the marks and ellipses.
  CHECK(snippet.size() <= 60 + 2 * 13 + 2 * 3);

  SUBCASE("a match near the start shows the opening") {
    CHECK(highlighter.snippet("The bridge opened today after years of work.",
                              terms_of("bridge").body, 20) == "The <mark>bridge</mark> opened…");
  }
  SUBCASE("a match at the end fills the room before it") {
    CHECK(highlighter.snippet(filler + "the new bridge.", terms_of("bridge").body, 30) ==
          "…ipsum dolor the new <mark>bridge</mark>.");
  }
  SUBCASE("no match: the opening, whitespace collapsed") {
    CHECK(highlighter.snippet("  First <b>line</b>.\n\nSecond line goes on and on.",
                              terms_of("").body, 30) == "First &lt;b&gt;line&lt;/b&gt;. Second…");
  }
  SUBCASE("a match far into a long text is still found") {
    std::string long_filler;
    for (int i = 0; i < 500; ++i) long_filler += "lorem ipsum dolor ";  // 9,000 characters
    const std::string far = highlighter.snippet(long_filler + "the harbour bridge. " + long_filler,
                                                terms_of("bridge").body, 60);
    CHECK(far.starts_with("…"));
    CHECK(far.ends_with("…"));
    CHECK(far.find("<mark>bridge</mark>.") != std::string::npos);
    const std::string early = highlighter.snippet("A bridge. " + long_filler + "bridge",
                                                  terms_of("bridge").body, 60);
    CHECK(early.starts_with("A <mark>bridge</mark>."));
    CHECK(early.ends_with("…"));
  }
  SUBCASE("empty text") { CHECK(highlighter.snippet("", terms_of("bridge").body, 30).empty()); }
}

TEST_CASE("a window's edge inside a run of marked CJK characters still closes and opens its marks") {
  search::Highlighter highlighter{Xapian::Stem("en")};
  search::TermSet terms;
  terms.words.insert("东京");  // the pair the query's n-grams make
  std::string run;
  for (int i = 0; i < 30; ++i) run += "东京";
  // Sixty marked characters side by side are one mark in the whole text...
  CHECK(highlighter.highlight(run, terms) == "<mark>" + run + "</mark>");
  // ...and a window that ends inside the run closes its mark before the ellipsis...
  CHECK(highlighter.snippet(run, terms, 5) == "<mark>东京东京东</mark>…");
  std::string filler;
  for (int i = 0; i < 40; ++i) filler += "lorem ipsum ";
  CHECK(highlighter.snippet(filler + run, terms, 8) == "…<mark>东京东京东京东京</mark>…");
  // ...and one that starts inside it (led in to a second term after the run) opens one.
  terms.words.insert("bridg");
  CHECK(highlighter.snippet(run + " bridge", terms, 12) == "…<mark>京东京东京</mark> <mark>bridge</mark>");
}

TEST_CASE("Xapian's own snippet() misses STEM_ALL stems, so highlighting is ours") {
  // The reason for search/highlight.cpp: with STEM_ALL query terms are unprefixed stems,
  // which MSet::snippet() does not compare its stemmed words against.
  Xapian::WritableDatabase db(std::string{}, Xapian::DB_BACKEND_INMEMORY);
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem("en"));
  generator.set_stemming_strategy(schema::kIndexStemming);
  Xapian::Document doc;
  generator.set_document(doc);
  generator.index_text("they held meetings");
  db.add_document(doc);
  Xapian::QueryParser parser;
  parser.set_stemmer(Xapian::Stem("en"));
  parser.set_stemming_strategy(schema::kQueryStemming);
  Xapian::Enquire enquire(db);
  enquire.set_query(parser.parse_query("meeting"));
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  REQUIRE(mset.size() == 1);
  CHECK(mset.snippet("they held meetings", 100, Xapian::Stem("en"), 0, "<m>", "</m>") ==
        "they held meetings");
}

TEST_CASE("search hits carry escaped, highlighted titles and snippets") {
  SampleIndex index;
  SUBCASE("stemmed matches in the text") {
    auto response = index.searcher.search(request_for("meeting"));
    REQUIRE(response.ok());
    const Hit* hit = find_hit(*response, "a07");
    REQUIRE(hit != nullptr);
    CHECK(hit->snippet_html.find("<mark>meetings</mark>") != std::string::npos);
    CHECK(hit->snippet_html.find("<mark>meets</mark>") != std::string::npos);
    CHECK(hit->title_html == "Vineyard harvest breaks record");
  }
  SUBCASE("markup in the text stays text") {
    auto response = index.searcher.search(request_for("unsafe"));
    REQUIRE(response.ok());
    const Hit* hit = find_hit(*response, "a08");
    REQUIRE(hit != nullptr);
    CHECK(hit->snippet_html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(hit->snippet_html.find("<script") == std::string::npos);
    CHECK(hit->snippet_html.find("&amp; said &quot;never trust input&quot;") != std::string::npos);
    CHECK(hit->snippet_html.find("<mark>unsafe</mark>") != std::string::npos);
  }
  SUBCASE("title words") {
    auto response = index.searcher.search(request_for("bridge"));
    REQUIRE(response.ok());
    const Hit* hit = find_hit(*response, "a01");
    REQUIRE(hit != nullptr);
    CHECK(hit->title_html == "Council approves harbour <mark>bridge</mark>");
    CHECK(hit->snippet_html.find("<mark>bridge</mark>") != std::string::npos);
  }
  SUBCASE("title: marks the title, not the text") {
    auto response = index.searcher.search(request_for("title:harbour"));
    REQUIRE(response.ok());
    const Hit* hit = find_hit(*response, "a01");
    REQUIRE(hit != nullptr);
    CHECK(hit->title_html == "Council approves <mark>harbour</mark> bridge");
    CHECK(hit->snippet_html.find("<mark>") == std::string::npos);
  }
  SUBCASE("an empty q shows openings and plain titles") {
    SearchRequest request = request_for("");
    request.snippets = true;
    auto response = index.searcher.search(request);
    REQUIRE(response.ok());
    const Hit* hit = find_hit(*response, "a12");
    REQUIRE(hit != nullptr);
    CHECK(hit->title_html == "Opinion: why the valley needs a bridge");
    CHECK(hit->snippet_html == "A bridge over the river would join the two halves of the valley.");
  }
  SUBCASE("snippets can be left out") {
    SearchRequest request = request_for("bridge");
    request.snippets = false;
    auto response = index.searcher.search(request);
    REQUIRE(response.ok());
    REQUIRE_FALSE(response->hits.empty());
    CHECK(response->hits[0].snippet_html.empty());
  }
}
