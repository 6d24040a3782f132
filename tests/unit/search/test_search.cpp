/// @file test_search.cpp
/// Sorting, paging, request validation and seeing new commits.
#include <doctest/doctest.h>

#include <set>

#include "fixture.h"

using namespace clippings;
using namespace clippings::test;

namespace {
using Ids = std::vector<std::string>;
}

TEST_CASE("sorting by date puts undated articles last both ways") {
  SampleIndex index;
  SearchRequest request = request_for("");
  request.sort = SortOrder::kNewest;
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(ids_of(response->hits) == Ids{"a09", "a10", "a08", "a07", "a06", "a05", "a04", "a03",
                                      "a13", "a02", "a01", "a11", "a12"});
  request.sort = SortOrder::kOldest;
  response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(ids_of(response->hits) == Ids{"a01", "a02", "a13", "a03", "a04", "a05", "a06", "a07",
                                      "a08", "a10", "a09", "a11", "a12"});
}

TEST_CASE("an empty query under the relevance sort lists the newest first") {
  SampleIndex index;
  SearchRequest newest = request_for("");
  newest.sort = SortOrder::kNewest;
  const auto expected = index.searcher.search(newest);
  REQUIRE(expected.ok());
  for (const std::string q : {"", "*"}) {
    CAPTURE(q);
    const auto response = index.searcher.search(request_for(q));
    REQUIRE(response.ok());
    CHECK(response->sort == SortOrder::kNewest);
    CHECK(ids_of(response->hits) == ids_of(expected->hits));
  }
  // A query with words keeps its ranking.
  const auto ranked = index.searcher.search(request_for("bridge"));
  REQUIRE(ranked.ok());
  CHECK(ranked->sort == SortOrder::kRelevance);
  CHECK(ranked->hits.back().id == "a12");
}

TEST_CASE("relevance ranks the best match first") {
  SampleIndex index;
  auto response = index.searcher.search(request_for("bridge"));
  REQUIRE(response.ok());
  REQUIRE(response->hits.size() == 3);
  // a01 and a03 have "bridge" in the title and twice in the text; a12 once in the text.
  CHECK(response->hits.back().id == "a12");
  CHECK(response->hits.front().score >= response->hits.back().score);
  CHECK(response->hits.back().score > 0);
}

TEST_CASE("pages are disjoint and the total holds past the end") {
  SampleIndex index;
  SearchRequest request = request_for("");
  request.sort = SortOrder::kOldest;
  request.size = 5;
  std::set<std::string> seen;
  for (int page = 1; page <= 3; ++page) {
    request.page = page;
    auto response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 13);
    CHECK(response->page == page);
    CHECK(response->hits.size() == (page < 3 ? 5u : 3u));
    for (const Hit& hit : response->hits) CHECK(seen.insert(hit.id).second);
  }
  CHECK(seen.size() == 13);
  request.page = 4;
  auto past = index.searcher.search(request);
  REQUIRE(past.ok());
  CHECK(past->hits.empty());
  CHECK(past->total == 13);
  request.page = 2'000'000'000;
  past = index.searcher.search(request);
  REQUIRE(past.ok());
  CHECK(past->hits.empty());

  SUBCASE("with a filter too") {
    request.outlets = {"Valley Courier"};
    request.page = 2;
    request.size = 3;
    auto response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 4);
    CHECK(ids_of(response->hits) == Ids{"a12"});
  }
}

TEST_CASE("hits carry the stored fields") {
  SampleIndex index;
  auto response = index.searcher.search(request_for("lighthouse"));
  REQUIRE(response.ok());
  REQUIRE(response->hits.size() == 1);
  const Hit& hit = response->hits[0];
  CHECK(hit.id == "a13");
  CHECK(hit.title == "Lighthouse keeper retires");
  CHECK(hit.outlet == "The Harbour Gazette");
  CHECK(hit.date == "2022-02-14");
  CHECK(hit.url == "https://news.example/a13");
  CHECK(response->query == "lighthouse");
  CHECK(response->took_ms > 0);
}

TEST_CASE("request parameters out of range are 400 errors naming them, one code per rule") {
  SampleIndex index;
  struct Case {
    const char* name;
    void (*change)(SearchRequest&);
    const char* param;
    const char* code;
  };
  const Case cases[] = {
      {"page 0", [](SearchRequest& r) { r.page = 0; }, "page", "invalid_parameter"},
      {"size 0", [](SearchRequest& r) { r.size = 0; }, "size", "invalid_parameter"},
      {"size 101", [](SearchRequest& r) { r.size = 101; }, "size", "invalid_parameter"},
      {"facet_size -1", [](SearchRequest& r) { r.facet_size = -1; }, "facet_size", "invalid_parameter"},
      {"facet_size 0", [](SearchRequest& r) { r.facet_size = 0; }, "facet_size", "invalid_parameter"},
      {"facet_size 1001", [](SearchRequest& r) { r.facet_size = 1001; }, "facet_size", "invalid_parameter"},
      {"from not a date", [](SearchRequest& r) { r.from = "2022-02-30"; }, "from", "invalid_parameter"},
      {"to a month", [](SearchRequest& r) { r.to = "2022-02"; }, "to", "invalid_parameter"},
      {"from after to", [](SearchRequest& r) { r.from = "2023-01-01"; r.to = "2022-01-01"; }, "from",
       "invalid_date_range"},
      {"outlet not UTF-8", [](SearchRequest& r) { r.outlets = {"\xff"}; }, "outlet", "invalid_parameter"},
      {"outlet with NUL", [](SearchRequest& r) { r.outlets = {std::string{"a\0b", 3}}; }, "outlet",
       "invalid_parameter"},
      {"q not UTF-8", [](SearchRequest& r) { r.q = "\xff"; }, "q", "invalid_parameter"},
      {"q with NUL", [](SearchRequest& r) { r.q = std::string{"bridge\0", 7}; }, "q", "invalid_parameter"},
      {"q too long", [](SearchRequest& r) { r.q = std::string(3000, 'x'); }, "q", "query_too_long"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    SearchRequest request = request_for("bridge");
    c.change(request);
    auto response = index.searcher.search(request);
    REQUIRE_FALSE(response.ok());
    CHECK(response.error().status == 400);
    CHECK(response.error().code == c.code);
    CHECK(response.error().param == c.param);
  }
}

TEST_CASE("articles committed after the searcher opened are found on the next search") {
  SampleIndex index;
  auto before = index.searcher.search(request_for("lighthouse"));
  REQUIRE(before.ok());
  CHECK(before->total == 1);
  auto everything = index.searcher.search(request_for(""));
  REQUIRE(everything.ok());
  CHECK(everything->total == 13);

  Article extra = sample_articles().back();
  extra.id = "a14";
  extra.title = "New lighthouse lamp";
  extra.outlet = "Island Post";
  extra.text = "The lighthouse got a new lamp and a new lens.";
  write_articles(index.path, {extra});

  auto after = index.searcher.search(request_for("lighthouse"));
  REQUIRE(after.ok());
  CHECK(sorted_ids(*after) == Ids{"a13", "a14"});
  CHECK(after->outlet_facet.size() == 2);
  // The counts of an empty q are kept between searches, until the next commit.
  everything = index.searcher.search(request_for(""));
  REQUIRE(everything.ok());
  CHECK(everything->total == 14);
  CHECK(everything->hits.size() == 14);
  CHECK(everything->outlet_facet.size() == 4);
  // The parser sees the new words too (wildcards expand over the reopened database).
  after = index.searcher.search(request_for("len*"));
  REQUIRE(after.ok());
  CHECK(sorted_ids(*after) == Ids{"a14"});
}
