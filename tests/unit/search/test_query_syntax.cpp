/// @file test_query_syntax.cpp
/// The query language end to end: operators, fields, phrases, wildcards, dates, bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fixture.h"
#include "search/multilingual_query.h"
#include "search/query_builder.h"

using namespace clippings;
using namespace clippings::test;

namespace {

using Ids = std::vector<std::string>;

struct SyntaxCase {
  const char* q;
  Ids expected;  ///< sorted
};

const Ids kAll = {"a01", "a02", "a03", "a04", "a05", "a06", "a07",
                  "a08", "a09", "a10", "a11", "a12", "a13"};

Ids all_but(const Ids& excluded) {
  Ids ids;
  for (const auto& id : kAll) {
    if (std::find(excluded.begin(), excluded.end(), id) == excluded.end()) ids.push_back(id);
  }
  return ids;
}

}  // namespace

TEST_CASE("query syntax selects the expected articles") {
  SampleIndex index;
  // Strict, as if every query had found enough: relaxing is tested in test_matching.cpp.
  Config strict = config_for(index.path);
  strict.server.relax_below = 0;
  Searcher searcher{strict};
  const SyntaxCase cases[] = {
      {"bridge", {"a01", "a03", "a12"}},
      {"BRIDGE", {"a01", "a03", "a12"}},
      {"harbour bridge", {"a01", "a03"}},  // every word, when that finds enough
      {"harbour AND bridge", {"a01", "a03"}},
      {"bridge OR railway", {"a01", "a03", "a04", "a06", "a11", "a12"}},
      {"bridge or railway", {}},  // lower-case "or" is a word, not an operator
      {"bridge NOT harbour", {"a12"}},
      {"bridge -harbour", {"a12"}},
      {"+valley +bridge", {"a12"}},
      {"NOT bridge", all_but({"a01", "a03", "a12"})},
      {"-bridge", all_but({"a01", "a03", "a12"})},  // Xapian alone would read it as "bridge"
      {"-bridge -railway", all_but({"a01", "a03", "a12", "a04", "a06", "a11"})},
      {"-date:2022", all_but({"a03", "a04", "a05", "a06", "a13"})},
      {"council engineers", {"a01", "a03"}},
      {"\"council engineers\"", {"a03"}},
      {"railway NEAR tunnel", {"a04"}},
      {"fishermen ministry", {"a10"}},
      {"fishermen NEAR ministry", {}},
      {"vine*", {"a07", "a09"}},
      {"rail*", {"a04", "a06", "a11"}},
      {"harbour", {"a01", "a03", "a10", "a13"}},
      {"title:harbour", {"a01", "a03"}},
      {"author:quill", {"a01", "a03"}},
      {"quill", {}},  // author words are only searchable as author:
      {"outlet:ledger", {"a04", "a05", "a06", "a11"}},
      {"outlet:courier", {"a07", "a08", "a09", "a12"}},
      {"outlet:\"valley courier\"", {"a07", "a08", "a09", "a12"}},  // outlet words keep positions
      {"outlet:\"courier valley\"", {}},
      {"meeting", {"a07"}},  // stemmed: "meetings", "meets"
      {"approve", {"a01"}},
      {"date:2021", {"a01", "a02"}},
      {"date:2022-11", {"a04", "a05", "a06"}},
      {"date:2022-11-27", {"a05"}},
      {"date:2023..", {"a07", "a08", "a09", "a10"}},
      {"date:..2021-12", {"a01", "a02"}},
      {"date:2022-11-21..2022-11-27", {"a04", "a05"}},
      {"date:2021..2021-06", {"a01"}},
      {"railway date:2022", {"a04", "a06"}},
      {"railway date:2022..2023", {"a04", "a06"}},
      {"", kAll},
      {"*", kAll},  // no searchable word: everything, as for an empty q
      {"\"", kAll},
  };
  for (const auto& c : cases) {
    const std::string q_text = c.q;
    CAPTURE(q_text);
    SearchRequest request = request_for(c.q);
    request.correct = false;  // "quill" is only an author's word, not a misspelling
    auto response = searcher.search(request);
    REQUIRE(response.ok());
    CHECK(sorted_ids(*response) == c.expected);
    CHECK(response->total == c.expected.size());
    CHECK(response->total_exact);
  }
}

TEST_CASE("queries that cannot be understood are 400 errors naming q") {
  SampleIndex index;
  const char* cases[] = {
      "AND",           "bridge AND",     "OR bridge",         "date:2022-13",
      "date:2022-02-30", "date:20x2..",  "date:..2022-1",     "date:2023..2022",
      "date:..",       "2021..2022",     "date:2022-11-27x",
  };
  for (const char* q : cases) {
    const std::string q_text = q;
    CAPTURE(q_text);
    auto response = index.searcher.search(request_for(q));
    REQUIRE_FALSE(response.ok());
    CHECK(response.error().status == 400);
    CHECK(response.error().code == "invalid_query");
    CHECK(response.error().param == "q");
    CHECK_FALSE(response.error().message.empty());
  }
}

TEST_CASE("bad dates in q say what was expected and what was given") {
  SampleIndex index;
  auto response = index.searcher.search(request_for("railway date:2022-13"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().message ==
        "date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '2022-13'");
  response = index.searcher.search(request_for("2021..2022"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().message == "a range needs a field in front: date:2022..2023");
}

TEST_CASE("nasty input never fails other than with a 400") {
  SampleIndex index;
  const std::string cases[] = {
      "\"", "(", ")", "((((bridge", "title:(bridge", "AND", "OR", "NOT", "title:", "author:",
      "date:", "*", "**", "a*b*", "a NEAR", "NEAR", "\"unclosed bridge", "bridge\"", "-", "+",
      "--bridge", "bridge~", "\\", "%", "'", "\x01\x02\x7f", "\t\n", "ab\xff\xfe", "\xc3",
      "日本語 bridge", "bridge ADJ/3 harbour", "title:\"\"", std::string(2048, 'a'),
      std::string(3000, 'b'), std::string(300, 'c') + " bridge", "date:2022..2022..2023", "-(", "-\"", "- -", "-title:", "-date:2022",
  };
  for (const auto& q : cases) {
    const std::string q_text = q;
    CAPTURE(q_text);
    auto response = index.searcher.search(request_for(q));
    if (!response.ok()) {
      CHECK(response.error().status == 400);
      CHECK(response.error().param == "q");
    }
  }
  // The ones a user can fairly expect to work, do.
  for (const std::string q : {"(", "*", "\"unclosed bridge", "bridge\"", "-"}) {
    const std::string q_text = q;
    CAPTURE(q_text);
    CHECK(index.searcher.search(request_for(q)).ok());
  }
}

TEST_CASE("a q longer than server.max_query_bytes is refused") {
  SampleIndex index;
  auto response = index.searcher.search(request_for(std::string(2049, 'a')));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == "query_too_long");
  CHECK(response.error().message == "q: 2049 bytes long; the limit is 2048");
}

TEST_CASE("a q that is not UTF-8 is refused like any parameter that is not") {
  SampleIndex index;
  auto response = index.searcher.search(request_for("ab\xff\xfe cd"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == "invalid_parameter");
  CHECK(response.error().param == "q");
}

namespace {

/// 200 notices saying "harbour", `harbor_uses` of them "harbor" too, and one about a walrus.
std::string harbour_index(const TempDir& dir, Xapian::termcount harbor_uses) {
  const std::string path = (dir / "db").string();
  std::vector<Article> articles;
  for (Xapian::termcount i = 0; i < 200; ++i) {
    Article a;
    a.id = "n" + std::to_string(i);
    a.lang = "en";
    a.title = "Notice " + std::to_string(i);
    a.text = i < harbor_uses ? "The harbour and the harbor." : "The harbour.";
    if (i == 0) a.text += " A walrus.";
    articles.push_back(a);
  }
  write_articles(path, articles);
  return path;
}

}  // namespace

TEST_CASE("a suggestion needs a query that finds few articles and one that finds many more") {
  struct Case {
    Xapian::termcount harbor_uses;
    const char* q;
    const char* suggestion;  ///< "" for none
  };
  const Case cases[] = {
      {3, "harbor", "harbour"},       // 3 articles; "harbour" finds 200
      {20, "harbor", ""},             // 20 articles are not few
      {3, "harbor walrus", ""},       // "harbour walrus" finds no more (one)
      {3, "title:harbor", ""},        // field words are never corrected
      {3, "\"harbor\"", "\"harbour\""},  // words in phrases are
  };
  for (const Case& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    CAPTURE(c.harbor_uses);
    TempDir dir;
    Searcher searcher{config_for(harbour_index(dir, c.harbor_uses))};
    auto response = searcher.search(request_for(q));
    REQUIRE(response.ok());
    CHECK(response->suggestion.value_or("") == std::string{c.suggestion});
    CHECK_FALSE(response->corrected_from);
    CHECK(response->query == q);
  }
}

TEST_CASE("a word no article has is corrected, and the corrected query searched") {
  TempDir dir;
  Searcher searcher{config_for(harbour_index(dir, 60))};
  struct Case {
    const char* q;
    bool correct;
    const char* query;           ///< what was searched
    const char* suggestion;      ///< "" for none
    std::size_t hits;
  };
  const Case cases[] = {
      {"harbr", true, "harbor", "", 60},      // the nearest word: one edit, not two
      {"HARBR", true, "harbor", "", 60},
      {"harbr", false, "harbr", "harbor", 0},  // correct=false: offered, not used
      {"harbor walrus", true, "harbor walrus", "", 60},  // no word absent: relaxed instead
  };
  for (const Case& c : cases) {
    CAPTURE(c.q);
    CAPTURE(c.correct);
    SearchRequest request = request_for(c.q);
    request.correct = c.correct;
    auto response = searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->query == c.query);
    CHECK(response->suggestion.value_or("") == std::string{c.suggestion});
    CHECK(response->hits.size() == c.hits);
    CHECK(response->total == c.hits);
    const bool corrected = std::string{c.query} != c.q;
    CHECK(response->corrected_from.has_value() == corrected);
    if (corrected) CHECK(*response->corrected_from == c.q);
  }
}

TEST_CASE("a word the index uses often is never replaced, even in a thin query") {
  // "us", "e-mail" and "striking" are common here; "use", "email" and "stacking" more so, and
  // would find many more articles beside "walrus".
  TempDir dir;
  const std::string path = (dir / "db").string();
  std::vector<Article> articles;
  for (int i = 0; i < 300; ++i) {
    Article a;
    a.id = "c" + std::to_string(i);
    a.lang = "en";
    a.title = "Circular " + std::to_string(i);
    a.text = "Please use email. Stacking chairs.";
    if (i < 60) a.text += " Write to us by e-mail about the striking staff.";
    // Five articles have both "striking" and "walrus"; 245 have "stacking" and "walrus".
    if (i >= 55) a.text += " The walrus.";
    articles.push_back(a);
  }
  write_articles(path, articles);
  Searcher searcher{config_for(path)};
  for (const char* q : {"US", "e-mail", "striking", "striking walrus", "US walrus", "e-mail walrus"}) {
    CAPTURE(q);
    auto response = searcher.search(request_for(q));
    REQUIRE(response.ok());
    CHECK_FALSE(response->suggestion);
    CHECK_FALSE(response->corrected_from);
  }
}

TEST_CASE("in a large index a word must be used once per 1,000 articles to be taken as meant") {
  // "harbor" is used 55 times, above kCommonWordUses: common in 1,000 articles, rare in 60,000.
  constexpr auto kHarborUses = search::QueryBuilder::kCommonWordUses + 5;
  struct Case {
    Xapian::doccount articles;
    const char* expected;
  };
  const Case cases[] = {{1000, ""}, {60000, "harbour"}};
  for (const Case& c : cases) {
    CAPTURE(c.articles);
    TempDir dir;
    const std::string path = (dir / "db").string();
    {
      Xapian::WritableDatabase db{path, Xapian::DB_CREATE};
      for (Xapian::doccount i = 0; i < c.articles; ++i) db.add_document(Xapian::Document{});
      db.add_spelling("harbor", kHarborUses);
      db.add_spelling("harbour", 5000);
      db.commit();
    }
    const Xapian::Database db{path};
    search::QueryBuilder builder{db, read_index_languages(db, "en"), ServerSettings{}};
    CHECK(builder.spelling("harbor", false) == c.expected);
  }
}

TEST_CASE("a misspelt query that finds nothing is answered corrected, a right one as it is") {
  SampleIndex index;
  auto response = index.searcher.search(request_for("harbour brigde"));
  REQUIRE(response.ok());
  CHECK(response->query == "harbour bridge");
  CHECK(response->corrected_from.value_or("") == "harbour brigde");
  REQUIRE(response->hits.size() >= 2);  // then articles with one of the words
  std::vector<std::string> first{response->hits[0].id, response->hits[1].id};
  std::sort(first.begin(), first.end());
  CHECK(first == std::vector<std::string>{"a01", "a03"});
  response = index.searcher.search(request_for("harbour bridge"));
  REQUIRE(response.ok());
  CHECK_FALSE(response->suggestion.has_value());
  CHECK_FALSE(response->corrected_from.has_value());
  response = index.searcher.search(request_for(""));
  REQUIRE(response.ok());
  CHECK_FALSE(response->suggestion.has_value());
}

TEST_CASE("query errors say what is wrong and where") {
  SampleIndex index;
  struct Case {
    const char* q;
    const char* message;
    std::size_t position;  ///< code points
  };
  const Case cases[] = {
      {"AND x", "AND needs a word on both sides", 0},
      {"x AND", "AND needs a word on both sides", 2},
      {"x AND AND y", "AND needs a word on both sides", 2},
      {"(AND x)", "AND needs a word on both sides", 1},
      {"x OR", "OR needs a word on both sides", 2},
      {"OR x", "OR needs a word on both sides", 0},
      {"x XOR", "XOR needs a word on both sides", 2},
      {"x NOT", "NOT needs a word after it", 2},
      {"NOT", "NOT needs a word after it", 0},
      {"\u00e9t\u00e9 AND", "AND needs a word on both sides", 4},
      {"title:", "title: needs a word after it", 0},
      {"bridge title:", "title: needs a word after it", 7},
      {"title: bridge", "title: needs a word after it", 0},
      {"author:*", "author: needs a word after it", 0},
      {"date:", "date: needs a date after it", 0},
      {"date:2022-13", "date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '2022-13'", 5},
      {"bridge date:2021..2022-13", "date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '2022-13'", 18},
      {"2021..2022", "a range needs a field in front: date:2022..2023", 0},
  };
  for (const Case& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    auto response = index.searcher.search(request_for(q));
    REQUIRE_FALSE(response.ok());
    CHECK(response.error().code == "invalid_query");
    CHECK(response.error().param == "q");
    CHECK(response.error().message == c.message);
    CHECK(response.error().position == c.position);
  }
}

TEST_CASE("an open quote or bracket is searched as best understood, and noted") {
  SampleIndex index;
  struct Case {
    const char* q;
    const char* code;  ///< "" for no note
    std::size_t position;
    std::vector<std::string> expected;  ///< sorted ids
  };
  const Case cases[] = {
      {"(bridge", "unclosed_bracket", 0, {"a01", "a03", "a12"}},
      {"harbour (bridge", "unclosed_bracket", 8, {"a01", "a03"}},
      {"\"council engineers", "unclosed_quote", 0, {"a03"}},  // a phrase to the end
      {"bridge \"", "unclosed_quote", 7, {"a01", "a03", "a12"}},
      {"(bridge)", "", 0, {"a01", "a03", "a12"}},
      {"\"council engineers\"", "", 0, {"a03"}},
  };
  for (const Case& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    auto response = index.searcher.search(request_for(q));
    REQUIRE(response.ok());
    CHECK(sorted_ids(*response) == c.expected);
    if (std::string{c.code}.empty()) {
      CHECK(response->notes.empty());
      continue;
    }
    REQUIRE(response->notes.size() == 1);
    CHECK(response->notes[0].code == c.code);
    CHECK(response->notes[0].position == c.position);
    CHECK_FALSE(response->notes[0].message.empty());
  }
}

TEST_CASE("over remote shards a query's word forms are looked up once, when it begins, for all its words") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  const auto russian = [](std::string id, std::string text) {
    Article a = article(std::move(id), "Moscow Daily", "Заседание", std::move(text));
    a.lang = "ru";
    return a;
  };
  // As the indexer leaves a database: its languages and how their words were keyed recorded.
  const auto write = [&path](const std::vector<Article>& articles) {
    write_articles(path, articles);
    Xapian::WritableDatabase db{path};
    record_index_languages(db);
    db.commit();
  };
  write({russian("r01", "Депутат Цуканова выступила в Думе."),
         article("e01", "Harbour Gazette", "Session", "The deputy spoke.")});
  Xapian::Database db{path};
  // Asked as remote shards are (search::terms_in_any): only they are worth asking ahead.
  search::MultilingualParser parser{db, read_index_languages(db, "en"), [](Xapian::QueryParser&) {}, true};
  // A local index is asked as each word is parsed.
  search::MultilingualParser local{db, read_index_languages(db, "en"), [](Xapian::QueryParser&) {}};
  const auto widened_to_kozlova = [](search::MultilingualParser& p) {
    return p.parse("kozlova", 0).query.get_description().find("XTkozlov") != std::string::npos;
  };

  for (search::MultilingualParser* p : {&parser, &local}) {
    p->begin_query();
    p->look_up_ahead("kozlova", 0);
  }
  // The index gains the word's Cyrillic form after the query began: its parse does not ask again.
  write({russian("r02", "Депутат Козлова ответила.")});
  db.reopen();
  CHECK_FALSE(widened_to_kozlova(parser));
  CHECK(widened_to_kozlova(local));
  // The next query looks again; a word its beginning did not name is looked up as it is parsed.
  parser.begin_query();
  parser.look_up_ahead("kozlova", 0);
  CHECK(widened_to_kozlova(parser));
  parser.begin_query();
  parser.look_up_ahead("deputy", 0);
  CHECK(widened_to_kozlova(parser));
}
