/// @file test_query_syntax.cpp
/// The query language end to end: operators, fields, phrases, wildcards, dates, bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fixture.h"
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
  const SyntaxCase cases[] = {
      {"bridge", {"a01", "a03", "a12"}},
      {"BRIDGE", {"a01", "a03", "a12"}},
      {"harbour bridge", {"a01", "a03"}},  // default AND narrows
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
    auto response = index.searcher.search(request_for(c.q));
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
      "date:..",       "2021..2022",     "date:2022-11-27x",  "ab\xff\xfe cd",
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
  for (const std::string q : {"(", "title:", "*", "\"unclosed bridge", "bridge\"", "-"}) {
    const std::string q_text = q;
    CAPTURE(q_text);
    CHECK(index.searcher.search(request_for(q)).ok());
  }
}

TEST_CASE("a q longer than server.max_query_bytes is refused") {
  SampleIndex index;
  auto response = index.searcher.search(request_for(std::string(2049, 'a')));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().message == "q: longer than 2048 bytes");
}

TEST_CASE("a word the index uses often is taken as meant, a rare one is corrected") {
  // "harbour" is used 200 times. Xapian would correct a less used "harbor" to it; once
  // "harbor" is used QueryBuilder::kCommonWordUses times it is a word of its own.
  constexpr auto kCommon = search::QueryBuilder::kCommonWordUses;
  struct Case {
    Xapian::termcount harbor_uses;
    const char* q;
    const char* expected;  ///< the suggestion, "" for none
  };
  const Case cases[] = {
      {kCommon - 1, "harbor", "harbour"},
      {kCommon, "harbor", ""},
      {kCommon, "harbr", "harbor"},  // the nearest word wins: one edit, not two
      {kCommon, "HARBR", "harbor"},
      {kCommon, "title:harbr", ""},  // field words are never corrected
  };
  for (const Case& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    CAPTURE(c.harbor_uses);
    TempDir dir;
    const std::string path = (dir / "db").string();
    std::vector<Article> articles;
    for (Xapian::termcount i = 0; i < 200; ++i) {
      Article a;
      a.id = "n" + std::to_string(i);
      a.lang = "en";
      a.title = "Notice " + std::to_string(i);
      a.text = i < c.harbor_uses ? "The harbour and the harbor." : "The harbour.";
      articles.push_back(a);
    }
    write_articles(path, articles);
    Searcher searcher{config_for(path)};
    auto response = searcher.search(request_for(q));
    REQUIRE(response.ok());
    CHECK(response->suggestion.value_or("") == std::string{c.expected});
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
    auto parsed = builder.parse("harbor");
    REQUIRE(parsed.ok());
    CHECK(parsed->corrected == c.expected);
  }
}

TEST_CASE("a misspelt query gets a suggestion and a right one none") {
  SampleIndex index;
  auto response = index.searcher.search(request_for("harbour brigde"));
  REQUIRE(response.ok());
  REQUIRE(response->suggestion.has_value());
  CHECK(*response->suggestion == "harbour bridge");
  response = index.searcher.search(request_for("harbour bridge"));
  REQUIRE(response.ok());
  CHECK_FALSE(response->suggestion.has_value());
  response = index.searcher.search(request_for(""));
  REQUIRE(response.ok());
  CHECK_FALSE(response->suggestion.has_value());
}
