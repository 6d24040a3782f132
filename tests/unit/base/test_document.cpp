/// @file test_document.cpp
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <vector>

#include <xapian.h>

#include "document.h"
#include "schema.h"
#include "stemming.h"
#include "support.h"

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

TEST_CASE("a group's list of id terms survives being stored, any bytes in them") {
  const std::vector<std::string> terms = {"Qa1", std::string{"Q\0\xff", 3}, schema::id_term(std::string(400, 'x')), "Q"};
  const std::string stored = schema::encode_group_members(terms);
  CHECK(schema::decode_group_members(stored) == terms);
  CHECK(schema::decode_group_members("").empty());
  // A value cut short keeps the whole terms before the cut.
  CHECK(schema::decode_group_members(stored.substr(0, 6)) == std::vector<std::string>{"Qa1"});
}

TEST_CASE("each language has Xapian's stemmer, or none") {
  CHECK(stemmer_name("fr") == "french");
  CHECK(stemmer_name("ru") == "russian");
  CHECK(stemmer_name("en") == "english");
  // Languages Xapian has no stemmer for are indexed as written, not with another's stemmer.
  CHECK(stemmer_name("zh") == "none");
  CHECK(stemmer_name("uk") == "none");
  CHECK(stemmer_name("") == "none");
  CHECK(word_stemmer("french")("chanteuses") == "chanteux");
  CHECK(word_stemmer("none")("running") == "running");
  // Words are folded before they are stemmed: ё is е, full-width letters are ASCII.
  CHECK(word_stemmer("russian")("жёнами") == word_stemmer("russian")("женами"));
  CHECK(word_stemmer("english")("ｒｕｎｎｉｎｇ") == "run");
}

namespace {

/// The positions of `term` in `doc` (empty when it has none or is absent).
std::vector<Xapian::termpos> positions(const Xapian::Document& doc, const std::string& term) {
  auto it = doc.termlist_begin();
  it.skip_to(term);
  if (it == doc.termlist_end() || *it != term) return {};
  return {it.positionlist_begin(), it.positionlist_end()};
}

Article article_in(const std::string& lang, const std::string& text) {
  Article a = sample_article();
  a.title.clear();
  a.author.clear();
  a.lang = lang;
  a.text = text;
  return a;
}

}  // namespace

TEST_CASE("an article is stemmed in its own language, with its other word forms beside") {
  DocumentBuilder builder{"en"};
  const Xapian::Document doc =
      builder.build(article_in("ru", "Матери и жёны: Путь домой. Tsukanova")).document;
  // Russian stems, ё as е.
  CHECK(has_term(doc, "матер"));
  CHECK(has_term(doc, "жен"));
  CHECK_FALSE(has_term(doc, "матери"));
  // The words as written, without positions.
  CHECK(has_term(doc, "XEматери"));
  CHECK(has_term(doc, "XEжёны"));
  CHECK(positions(doc, "XEматери").empty());
  // The Latin key of each Cyrillic stem, at the stem's position (phrases work across scripts).
  CHECK(positions(doc, "XTput") == positions(doc, "пут"));
  CHECK(positions(doc, "XTdom") == positions(doc, "дом"));
  CHECK(positions(doc, "XTmater") == positions(doc, "матер"));
  CHECK_FALSE(positions(doc, "XTmater").empty());
  // Latin words in a Russian text have no forms.
  CHECK(has_term(doc, "tsukanova"));
  CHECK_FALSE(has_term(doc, "XEtsukanova"));
  CHECK_FALSE(has_term(doc, "XTtsukanova"));
}

TEST_CASE("accented words get their folded stem, ASCII words get nothing more") {
  DocumentBuilder builder{"en"};
  const Xapian::Document doc = builder.build(article_in("en", "A café and a cafe.")).document;
  CHECK(has_term(doc, "café"));                                   // the English stem keeps é
  CHECK(positions(doc, "XNcafe") == positions(doc, "café"));
  CHECK(has_term(doc, "XEcafé"));
  CHECK(has_term(doc, "cafe"));
  std::vector<std::string> forms;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    for (auto prefix : {schema::kPrefixExact, schema::kPrefixFolded, schema::kPrefixTranslit}) {
      if (term.starts_with(prefix)) forms.push_back(term);
    }
  }
  CHECK(forms == std::vector<std::string>{"XEcafé", "XNcafe"});
  // The German stemmer drops umlauts itself: no folded form is needed.
  const Xapian::Document german = builder.build(article_in("de", "Die Mütter")).document;
  CHECK(has_term(german, "mutt"));
  CHECK_FALSE(has_term(german, "XNmutt"));
}

TEST_CASE("languages without a stemmer keep their words, CJK text becomes n-grams") {
  DocumentBuilder builder{"en"};
  const Xapian::Document ukrainian = builder.build(article_in("uk", "Київ прийняв матерів")).document;
  CHECK(has_term(ukrainian, "київ"));
  CHECK(has_term(ukrainian, "матерів"));  // not stemmed, and not by the default's stemmer
  CHECK(has_term(ukrainian, "XTkyiv"));  // Ukrainian letters by Ukrainian rules
  const Xapian::Document chinese = builder.build(article_in("zh", "我们在东京见面了")).document;
  CHECK(has_term(chinese, "东京"));
  CHECK(has_term(chinese, "东"));
  CHECK_FALSE(has_term(chinese, "我们在东京见面了"));
  CHECK_FALSE(has_term(chinese, "XE东京"));  // an n-gram is its own exact form
}

TEST_CASE("CJK in any field of an article becomes n-grams, whatever the builder built before") {
  DocumentBuilder builder{"en"};
  // An article without CJK, then English articles with some in one field each.
  CHECK(has_term(builder.build(article_in("en", "Meeting in Tokyo")).document, "tokyo"));
  Article in_text = article_in("en", "They met in 东京 on Monday");
  Article in_title = article_in("en", "They met on Monday");
  in_title.title = "Talks in 东京";
  Article in_author = article_in("en", "They met on Monday");
  in_author.author = "李明";
  const Xapian::Document text = builder.build(in_text).document;
  CHECK(has_term(text, "东京"));
  CHECK(has_term(text, "东"));
  CHECK(has_term(text, "monday"));
  const Xapian::Document title = builder.build(in_title).document;
  CHECK(has_term(title, "S东京"));
  CHECK(has_term(title, "东"));
  const Xapian::Document author = builder.build(in_author).document;
  CHECK(has_term(author, "A李明"));
  CHECK(has_term(author, "A李"));
}

TEST_CASE("the database records its languages and their stemmers") {
  test::TempDir dir;
  Xapian::WritableDatabase db{(dir / "db").string(), Xapian::DB_CREATE};
  DocumentBuilder builder{"en"};
  for (const char* lang : {"en", "ru", "zh"}) {
    IndexedDocument built = builder.build(article_in(lang, "text"));
    db.replace_document(built.id_term + lang, built.document);
  }
  record_index_languages(db);
  db.commit();
  const IndexLanguages languages = read_index_languages(db, "fr");
  CHECK(languages.scheme == schema::kIndexScheme);
  CHECK(languages.stemmers == std::map<std::string, std::string>{
                                  {"en", "english"}, {"ru", "russian"}, {"zh", "none"}});
  CHECK(languages.articles.at("ru") == 1);
  CHECK(languages.stemmer_of("de") == "french");  // the configured default, for the unknown

  // A database from before the record: every language as the indexer stemmed it then.
  test::TempDir old_dir;
  Xapian::WritableDatabase old{(old_dir / "db").string(), Xapian::DB_CREATE};
  Xapian::Document doc;
  doc.add_boolean_term(schema::boolean_term(schema::kPrefixLang, "zh"));
  old.add_document(doc);
  old.commit();
  const IndexLanguages before = read_index_languages(old, "en");
  CHECK(before.scheme == 1);
  CHECK(before.stemmers.at("zh") == "english");
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
