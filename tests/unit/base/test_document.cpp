/// @file test_document.cpp
#include <doctest/doctest.h>

#include <algorithm>

#include <xapian.h>

#include "document.h"
#include "schema.h"

using namespace clippings;

namespace {

bool has_term(const Xapian::Document& doc, const std::string& term) {
  auto it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

Article sample_article() {
  Article a;
  a.id = "https://example.org/a";
  a.title = "Mothers meet the president";
  a.outlet = "The Example Times";
  a.date = "2022-11-25";
  a.url = "https://example.org/a";
  a.author = "Jane Doe";
  a.lang = "en";
  a.text = "The meeting was carefully staged.";
  a.source_file = "/data/a.txt";
  return a;
}

}  // namespace

TEST_CASE("a document carries the schema's terms, values and stored data") {
  DocumentBuilder builder{"en"};
  IndexedDocument built = builder.build(sample_article());
  const Xapian::Document& doc = built.document;

  CHECK(built.id_term == "Qhttps://example.org/a");
  CHECK(has_term(doc, "Qhttps://example.org/a"));
  CHECK(has_term(doc, "Smother"));          // title words, stemmed, under S
  CHECK(has_term(doc, "mother"));           // and in the free text
  CHECK(has_term(doc, "stage"));            // body word, stemmed
  CHECK(has_term(doc, "Ajane"));            // author words under A
  CHECK(has_term(doc, "XOexampl"));         // outlet words under XO
  CHECK(has_term(doc, "XFthe example times"));  // outlet filter term, folded
  CHECK(has_term(doc, "XLen"));
  CHECK(has_term(doc, "XP/data/a.txt"));
  CHECK_FALSE(has_term(doc, "jane"));       // author words stay out of the free text
  CHECK(doc.get_value(schema::kSlotDate) == "20221125");
  CHECK(doc.get_value(schema::kSlotOutlet) == "The Example Times");
  CHECK(from_stored_data(doc.get_data()).title == "Mothers meet the president");
}

TEST_CASE("spelling words are the indexed words of title and text, counted once each") {
  DocumentBuilder builder{"en"};
  Article a = sample_article();
  a.text = "The Ferry's 2 ferries sailed at 6am past Ålesund, ÅLESUND and x_ray; c++ mv.";
  a.author = "Jane Author";
  builder.build(a, /*count_spelling=*/true);
  const SpellingCounts words = builder.take_spelling();
  CHECK(words.at("mothers") == 1);       // from the title, once though it is indexed twice
  CHECK(words.at("the") == 2);           // title and text, case folded
  CHECK(words.at("ferry's") == 1);       // a word as the TermGenerator (and QueryParser) cut it
  CHECK(words.at("ferries") == 1);       // the word, not its stem
  CHECK(words.at("ålesund") == 2);       // non-ASCII letters folded too
  CHECK(words.at("x_ray") == 1);
  CHECK(words.count("6am") == 0);        // digits make a word non-alphabetic
  CHECK(words.count("at") == 0);         // shorter than 3 bytes
  CHECK(words.count("c++") == 0);
  CHECK(words.count("jane") == 0);       // author and outlet words are not free text
  CHECK(words.count("example") == 0);
  CHECK(builder.take_spelling().empty());  // taken once

  builder.build(a, true);  // counted from memory the second time, the same
  CHECK(builder.take_spelling() == words);
  builder.build(a);  // not counting: adds nothing
  CHECK(builder.spelling_words() == 0);
  CHECK(builder.take_spelling().empty());
}

TEST_CASE("spelling counts add up over documents, also when the stemmer forgets its words") {
  for (const std::size_t remembered : {std::size_t{3}, std::size_t{200000}}) {
    CAPTURE(remembered);
    DocumentBuilder builder{"en", remembered};
    Article a = sample_article();
    a.title = "Harbour news";
    for (const char* text : {"harbour ferry lighthouse keepers", "ferry strike", "harbour ferry"}) {
      a.text = text;
      builder.build(a, true);
    }
    CHECK(builder.spelling_words() >= 6);
    const SpellingCounts words = builder.take_spelling();
    CHECK(words == SpellingCounts{{"harbour", 5}, {"news", 3}, {"ferry", 3}, {"lighthouse", 1},
                                  {"keepers", 1}, {"strike", 1}});
    CHECK(builder.spelling_words() == 0);
  }
}

TEST_CASE("the builder's remembered stems are the stemmer's") {
  DocumentBuilder builder{"en"};
  Article a = sample_article();
  a.title.clear();
  a.text = "running runs runner running";
  for (int round = 0; round < 2; ++round) {  // the second round is answered from memory
    IndexedDocument built = builder.build(a);
    CHECK(has_term(built.document, "run"));
    CHECK(has_term(built.document, "runner"));
    auto it = built.document.termlist_begin();
    it.skip_to("run");
    CHECK(it.get_wdf() == 3);
  }
}

TEST_CASE("title words weigh more than body words") {
  DocumentBuilder builder{"en"};
  Article a = sample_article();
  a.text = "president";
  IndexedDocument built = builder.build(a);
  auto it = built.document.termlist_begin();
  it.skip_to("presid");
  REQUIRE(*it == "presid");
  CHECK(it.get_wdf() == schema::kTitleWeight + 1);
}

TEST_CASE("an undated article has no date value") {
  DocumentBuilder builder{"en"};
  Article a = sample_article();
  a.date.clear();
  CHECK(builder.build(a).document.get_value(schema::kSlotDate).empty());
}

TEST_CASE("over-long boolean terms are shortened to a stable, distinct form") {
  const std::string long_a(400, 'a');
  std::string long_b = long_a;
  long_b.back() = 'b';
  const std::string term_a = schema::boolean_term("U", long_a);
  CHECK(term_a.size() <= schema::kMaxTermBytes);
  CHECK(term_a == schema::boolean_term("U", long_a));
  CHECK(term_a != schema::boolean_term("U", long_b));
  CHECK(schema::boolean_term("U", "short") == "Ushort");
}

TEST_CASE("stemmer_for falls back for unknown languages") {
  CHECK(schema::stemmer_for("fr", "en")("chanteuses") == "chanteux");
  CHECK(schema::stemmer_for("xx", "en")("running") == "run");
  CHECK(schema::stemmer_for("none", "en")("running") == "running");
}

TEST_CASE("the indexing time comes in from the caller and is stamped in kSlotIndexed") {
  DocumentBuilder builder{"en"};
  CHECK(builder.build(sample_article()).document.get_value(schema::kSlotIndexed).empty());
  builder.set_indexed_time(1717409700);
  const std::string value = builder.build(sample_article()).document.get_value(schema::kSlotIndexed);
  CHECK(value == schema::indexed_value(1717409700));
  CHECK(schema::iso_from_indexed_value(value) == "2024-06-03T10:15:00Z");
  CHECK(schema::iso_from_indexed_value("").empty());
  // The values sort as the times do, as a value sort needs.
  CHECK(schema::indexed_value(999999999) < schema::indexed_value(1000000000));
  CHECK(schema::indexed_value(0) < schema::indexed_value(1));
}

TEST_CASE("a replacing document keeps the indexing time of the one it replaces") {
  DocumentBuilder builder{"en"};
  builder.set_indexed_time(100);
  const Xapian::Document first = builder.build(sample_article()).document;
  const Xapian::Document legacy = DocumentBuilder{"en"}.build(sample_article()).document;
  builder.set_indexed_time(200);
  Xapian::Document again = builder.build(sample_article()).document;
  keep_indexed_time(first, again);
  CHECK(again.get_value(schema::kSlotIndexed) == schema::indexed_value(100));
  // One indexed before the time was recorded does not become new by being indexed again.
  keep_indexed_time(legacy, again);
  CHECK(again.get_value(schema::kSlotIndexed).empty());
}
