/// @file test_facets.cpp
/// Exact facet counts and multi-select behaviour over the sample database.
#include <doctest/doctest.h>

#include <xapian.h>

#include "fixture.h"
#include "search/facets.h"

using namespace clippings;
using namespace clippings::test;

namespace {

constexpr const char* kGazette = "The Harbour Gazette";
constexpr const char* kLedger = "Northern Ledger";
constexpr const char* kCourier = "Valley Courier";

struct Expected {
  std::string value;
  Xapian::doccount count;
  bool selected;
};

void check_outlets(const std::vector<OutletCount>& actual, const std::vector<Expected>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(actual[i].value == expected[i].value);
    CHECK(actual[i].count == expected[i].count);
    CHECK(actual[i].selected == expected[i].selected);
  }
}

Xapian::doccount bucket_sum(const DateFacet& facet) {
  Xapian::doccount sum = 0;
  for (const auto& bucket : facet.buckets) sum += bucket.count;
  return sum;
}

}  // namespace

TEST_CASE("facets without filters count every match") {
  SampleIndex index;
  auto response = index.searcher.search(request_for(""));
  REQUIRE(response.ok());
  // Ties (4 and 4) are ordered by name.
  check_outlets(response->outlet_facet,
                {{kGazette, 5, false}, {kLedger, 4, false}, {kCourier, 4, false}});
  const DateFacet& dates = response->date_facet;
  CHECK(dates.interval == "month");  // 2021-03 .. 2023-12: 34 months, 147 weeks
  REQUIRE(dates.buckets.size() == 34);
  CHECK(dates.buckets.front().key == "2021-03");
  CHECK(dates.buckets.front().from == "2021-03-01");
  CHECK(dates.buckets.front().to == "2021-03-31");
  CHECK(dates.buckets.front().count == 1);
  CHECK(dates.buckets.back().key == "2023-12");
  CHECK(dates.buckets[1].count == 0);  // 2021-04: an empty month inside the span
  CHECK(bucket_sum(dates) == 11);
  CHECK(dates.undated == 2);

  response = index.searcher.search(request_for("bridge"));
  REQUIRE(response.ok());
  check_outlets(response->outlet_facet, {{kGazette, 2, false}, {kCourier, 1, false}});
  CHECK(bucket_sum(response->date_facet) == 2);
  CHECK(response->date_facet.undated == 1);
}

TEST_CASE("the outlet facet ignores the outlet filter and honours the others") {
  SampleIndex index;
  SearchRequest request = request_for("");
  request.outlets = {"northern ledger"};  // case-insensitive
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(response->total == 4);
  check_outlets(response->outlet_facet,
                {{kLedger, 4, true}, {kGazette, 5, false}, {kCourier, 4, false}});
  // The date facet honours the outlet filter: three days in November 2022 and one undated.
  const DateFacet& dates = response->date_facet;
  CHECK(dates.interval == "day");
  REQUIRE(dates.buckets.size() == 8);
  CHECK(dates.buckets[0].key == "2022-11-21");
  CHECK(dates.buckets[0].count == 1);
  CHECK(dates.buckets[1].count == 0);
  CHECK(dates.buckets[6].count == 1);
  CHECK(dates.buckets[7].key == "2022-11-28");
  CHECK(dates.undated == 1);

  SUBCASE("a selected outlet without matches is listed at 0") {
    request.q = "bridge";
    response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 0);
    CHECK(response->hits.empty());
    check_outlets(response->outlet_facet,
                  {{kLedger, 0, true}, {kGazette, 2, false}, {kCourier, 1, false}});
  }
  SUBCASE("several selected outlets are any of them") {
    request.outlets = {kLedger, kCourier};
    response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 8);
    check_outlets(response->outlet_facet,
                  {{kLedger, 4, true}, {kCourier, 4, true}, {kGazette, 5, false}});
  }
  SUBCASE("facet_size bounds the outlets beyond the selected ones") {
    request.facet_size = 1;
    response = index.searcher.search(request);
    REQUIRE(response.ok());
    check_outlets(response->outlet_facet, {{kLedger, 4, true}, {kGazette, 5, false}});
  }
}

TEST_CASE("the date facet ignores the date filter and honours the others") {
  SampleIndex index;
  SearchRequest request = request_for("");
  request.from = "2022-01-01";
  request.to = "2022-12-31";
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(response->total == 5);
  CHECK(response->total_exact);
  CHECK(response->hits.size() == 5);
  // Outlets within 2022 only; the Valley Courier has none then and is not selected.
  check_outlets(response->outlet_facet, {{kLedger, 3, false}, {kGazette, 2, false}});
  CHECK(response->date_facet.buckets.size() == 34);
  CHECK(bucket_sum(response->date_facet) == 11);
  CHECK(response->date_facet.undated == 2);

  SUBCASE("with an outlet filter as well") {
    request.outlets = {kGazette};
    response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 2);
    CHECK(sorted_ids(*response) == std::vector<std::string>{"a03", "a13"});
    check_outlets(response->outlet_facet, {{kGazette, 2, true}, {kLedger, 3, false}});
    // The Gazette at any date: 2021-03 .. 2023-07.
    CHECK(response->date_facet.buckets.size() == 29);
    CHECK(bucket_sum(response->date_facet) == 5);
    CHECK(response->date_facet.undated == 0);
  }
}

TEST_CASE("facets can be skipped, and the total stays exact") {
  SampleIndex index;
  SearchRequest request = request_for("harbour");
  request.facets = false;
  request.outlets = {kGazette};
  request.size = 1;
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(response->total == 4);
  CHECK(response->total_exact);
  CHECK(response->outlet_facet.empty());
  CHECK(response->date_facet.buckets.empty());
}

TEST_CASE("outlet spellings that differ in case are one outlet") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  auto articles = sample_articles();
  articles[0].outlet = "the harbour gazette";
  write_articles(path, articles);
  Xapian::Database db(path);
  std::unordered_map<std::string, Xapian::doccount> counts{{"The Harbour Gazette", 4},
                                                           {"the harbour gazette", 1}};
  auto facet = search::outlet_facet(counts, {{}, 10, ""}, db).outlets;
  REQUIRE(facet.size() == 1);
  CHECK(facet[0].value == "The Harbour Gazette");
  CHECK(facet[0].count == 5);
  // A selected outlet nothing matches is shown as the index spells it.
  facet = search::outlet_facet({}, {{"NORTHERN LEDGER", "Nowhere Times"}, 10, ""}, db).outlets;
  REQUIRE(facet.size() == 2);
  CHECK(facet[0].value == "Northern Ledger");
  CHECK(facet[1].value == "Nowhere Times");
  CHECK(facet[1].count == 0);
}

TEST_CASE("every outlet counted from the columns is what a pass over the values counts, over shards too") {
  TempDir dir;
  auto articles = sample_articles();
  articles[0].outlet = "the harbour gazette";  // a second spelling of an outlet
  const std::string path = (dir / "db").string();
  write_articles(path, articles);
  std::vector<Article> halves[2];
  for (std::size_t i = 0; i < articles.size(); ++i) halves[i % 2].push_back(articles[i]);
  std::vector<std::shared_ptr<const search::FacetColumns>> shard_columns;
  for (int half = 0; half < 2; ++half) {
    const std::string shard = (dir / ("shard" + std::to_string(half))).string();
    write_articles(shard, halves[half]);
    shard_columns.push_back(std::make_shared<const search::FacetColumns>(Xapian::Database{shard}));
  }
  const Xapian::Database db{path};
  const auto expected = search::all_outlets(db, false);
  REQUIRE(expected.size() == 3);
  CHECK(expected[0].value == kGazette);
  const auto same = [&expected](const std::vector<OutletCount>& got) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i].value == expected[i].value);
      CHECK(got[i].count == expected[i].count);
    }
  };
  const std::vector<std::shared_ptr<const search::FacetColumns>> one{std::make_shared<const search::FacetColumns>(db)};
  same(search::all_outlets(one));
  same(search::all_outlets(shard_columns));
}

TEST_CASE("match_words folds case and accents and splits on anything but letters and digits") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"The Moscow Times", {"the", "moscow", "times"}},
      {"Le Télégramme", {"le", "telegramme"}},
      {"ÉCHO DU NORD", {"echo", "du", "nord"}},
      {"Østlandets Blad", {"ostlandets", "blad"}},
      {"Straße-Zeitung", {"strasse", "zeitung"}},
      {"L’Express", {"l", "express"}},
      {"nytimes.com", {"nytimes", "com"}},
      {"BBC News 24", {"bbc", "news", "24"}},
      {"Новая Газета", {"новая", "газета"}},
      {"Καθημερινή", {"καθημερινη"}},
      {"  --  ", {}},
      {"", {}},
  };
  for (const auto& [text, words] : cases) {
    CAPTURE(text);
    CHECK(search::match_words(text) == words);
  }
}

TEST_CASE("a facet prefix lists the outlets with words starting with its words, at full count") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  write_articles(path, sample_articles());
  Xapian::Database db(path);
  const std::unordered_map<std::string, Xapian::doccount> counts{
      {"Le Télégramme", 3}, {"The Moscow Times", 7}, {"Moscow Herald", 2},
      {"Times of Malta", 4}, {"Valley Courier", 1}};
  const auto facet = [&](std::vector<std::string> selected, int size, std::string prefix) {
    return search::outlet_facet(counts, {std::move(selected), size, std::move(prefix)}, db);
  };
  struct Case {
    std::string prefix;
    std::vector<Expected> listed;
  };
  const std::vector<Case> cases{
      {"mos", {{"The Moscow Times", 7, false}, {"Moscow Herald", 2, false}}},
      {"MOSCOW", {{"The Moscow Times", 7, false}, {"Moscow Herald", 2, false}}},
      {"tele", {{"Le Télégramme", 3, false}}},
      {"TÉLÉ", {{"Le Télégramme", 3, false}}},
      {"legramme", {}},  // inside a word, not at its start
      {"times m", {{"The Moscow Times", 7, false}, {"Times of Malta", 4, false}}},
      {"moscow-h", {{"Moscow Herald", 2, false}}},
      {"", {{"The Moscow Times", 7, false}, {"Times of Malta", 4, false}, {"Le Télégramme", 3, false},
            {"Moscow Herald", 2, false}, {"Valley Courier", 1, false}}},
      {" - ", {{"The Moscow Times", 7, false}, {"Times of Malta", 4, false}, {"Le Télégramme", 3, false},
               {"Moscow Herald", 2, false}, {"Valley Courier", 1, false}}},
  };
  for (const auto& [prefix, listed] : cases) {
    CAPTURE(prefix);
    const auto result = facet({}, 10, prefix);
    check_outlets(result.outlets, listed);
    CHECK(result.total == listed.size());
  }
  SUBCASE("selected outlets stay listed whatever the prefix") {
    const auto result = facet({"valley courier"}, 10, "mos");
    check_outlets(result.outlets, {{"Valley Courier", 1, true}, {"The Moscow Times", 7, false},
                                   {"Moscow Herald", 2, false}});
    CHECK(result.total == 3);
  }
  SUBCASE("the size bounds the list, the total counts what matched") {
    const auto result = facet({}, 1, "mos");
    check_outlets(result.outlets, {{"The Moscow Times", 7, false}});
    CHECK(result.total == 2);
  }
}

TEST_CASE("a search's facet prefix keeps the counts of the query and the other filters") {
  SampleIndex index;
  SearchRequest request = request_for("bridge");
  request.facet_query = "vall";
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(response->total == 3);  // the prefix narrows the list, never the results
  check_outlets(response->outlet_facet, {{kCourier, 1, false}});
  CHECK(response->outlet_total == 1);
  request.facet_query = "";
  response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(response->outlet_total == 2);
}

TEST_CASE("plain-term queries, counted from posting lists, count as the matcher does") {
  // Each first query is counted without the matcher. OR-ing in a pattern no word fits gives
  // the same matches through the matcher, which alone expands patterns.
  SampleIndex index;
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"bridge", "bridge OR zzzunused*"},
      {"harbour", "harbour OR zzzunused*"},
      {"the", "the OR zzzunused*"},
      {"council", "council OR zzzunused*"},
      {"the AND council", "the AND (council OR zzzunused*)"},
      {"harbour OR bridge", "harbour OR bridge OR zzzunused*"},
  };
  for (const auto& [plain, through_matcher] : pairs) {
    for (const bool filtered : {false, true}) {
      CAPTURE(plain);
      CAPTURE(filtered);
      SearchRequest alone = request_for(plain);
      SearchRequest matched = request_for(through_matcher);
      if (filtered) {
        for (SearchRequest* r : {&alone, &matched}) {
          r->outlets = {kGazette};
          r->from = "2022-01-01";
        }
      }
      const auto a = index.searcher.search(alone);
      const auto m = index.searcher.search(matched);
      REQUIRE(a.ok());
      REQUIRE(m.ok());
      CHECK(a->total > 0);
      CHECK(a->total == m->total);
      REQUIRE(a->outlet_facet.size() == m->outlet_facet.size());
      for (std::size_t i = 0; i < a->outlet_facet.size(); ++i) {
        CHECK(a->outlet_facet[i].value == m->outlet_facet[i].value);
        CHECK(a->outlet_facet[i].count == m->outlet_facet[i].count);
      }
      REQUIRE(a->date_facet.buckets.size() == m->date_facet.buckets.size());
      for (std::size_t i = 0; i < a->date_facet.buckets.size(); ++i) {
        CHECK(a->date_facet.buckets[i].count == m->date_facet.buckets[i].count);
      }
      CHECK(a->date_facet.undated == m->date_facet.undated);
    }
  }
}
