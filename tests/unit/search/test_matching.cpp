/// @file test_matching.cpp
/// The default matching strategy: every word first, then the articles with most of them when
/// that finds too little; explicit syntax stays strict; counts follow the returned set.
#include <doctest/doctest.h>

#include <numeric>
#include <string>
#include <vector>

#include "fixture.h"

using namespace clippings;
using namespace clippings::test;

namespace {

using Ids = std::vector<std::string>;

/// "tidal", "barrier" and "flood" in every combination; "zeppelin" nowhere. t2 says "tidal
/// barrier" many times so that BM25 alone would rank it above t1, which has all three words.
std::vector<Article> tidal_articles() {
  return {
      article("t1", "Coast Herald", "Works on the coast", "The tidal barrier held the flood back."),
      article("t2", "Coast Herald", "Tidal barrier tidal barrier",
              "Tidal barrier. The tidal barrier, the tidal barrier and the tidal barrier again."),
      article("t3", "River Times", "Spring news", "A tidal flood reached the quay."),
      article("t4", "River Times", "Gates", "The barrier was painted."),
      article("t5", "River Times", "Elsewhere", "A choir sang in the hall."),
  };
}

struct TidalIndex {
  explicit TidalIndex(int relax_below) : path((dir / "db").string()), searcher([&] {
    Config config = config_for(path);
    config.server.relax_below = relax_below;
    return config;
  }()) {
    write_articles(path, tidal_articles());
  }
  TempDir dir;
  std::string path;
  Searcher searcher;
};

Xapian::doccount outlet_sum(const SearchResponse& response) {
  return std::accumulate(response.outlet_facet.begin(), response.outlet_facet.end(), Xapian::doccount{0},
                         [](Xapian::doccount sum, const OutletCount& o) { return sum + o.count; });
}

}  // namespace

TEST_CASE("a plain query that finds too little also returns the articles with most words") {
  TidalIndex index{10};
  auto response = index.searcher.search(request_for("tidal barrier flood"));
  REQUIRE(response.ok());
  // t1 has every word and ranks first although t2 weighs more; then those with two words,
  // then the one with one.
  const Ids ids = ids_of(response->hits);
  REQUIRE(ids.size() == 4);
  CHECK(ids[0] == "t1");
  CHECK(Ids{ids[1], ids[2]} == Ids{"t2", "t3"});
  CHECK(ids[3] == "t4");
  CHECK(response->partial);
  CHECK(response->dropped == Ids{"tidal", "barrier", "flood"});
  CHECK(response->total == 4);
  CHECK(outlet_sum(*response) == 4);
}

TEST_CASE("words are dropped only as far as needed, and dropped names them as typed") {
  TidalIndex index{2};
  struct Case {
    const char* q;
    Ids expected;     ///< in rank order
    bool partial;
    Ids dropped;
  };
  const Case cases[] = {
      // Two articles have both words: enough at relax_below 2, nothing dropped.
      {"tidal barrier", {"t2", "t1"}, false, {}},
      // No article has Zeppelin: the two with the other words, which lack only it.
      {"tidal Zeppelin barrier", {"t2", "t1"}, true, {"Zeppelin"}},
      // A phrase stays required; only plain words are dropped, and one must remain.
      {"\"tidal barrier\" zeppelin flood", {"t1"}, true, {"zeppelin"}},
  };
  for (const Case& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    auto response = index.searcher.search(request_for(c.q));
    REQUIRE(response.ok());
    CHECK(ids_of(response->hits) == c.expected);
    CHECK(response->partial == c.partial);
    CHECK(response->dropped == c.dropped);
    CHECK(response->total == c.expected.size());
    CHECK(outlet_sum(*response) == c.expected.size());
  }
}

TEST_CASE("explicit syntax stays strict") {
  TidalIndex index{10};
  struct Case {
    const char* q;
    Ids expected;  ///< sorted
  };
  const Case cases[] = {
      {"tidal AND barrier AND zeppelin", {}},
      {"+zeppelin tidal", {}},
      {"\"tidal zeppelin\"", {}},
      {"\"tidal zeppelin\" barrier", {}},  // the phrase cannot be dropped, only "barrier"
      {"title:zeppelin tidal", {}},
      {"tidal barrier NOT flood", {"t2"}},
      {"tidal -flood", {"t2"}},
      {"(tidal barrier flood)", {"t1"}},
  };
  for (const Case& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    auto response = index.searcher.search(request_for(c.q));
    REQUIRE(response.ok());
    CHECK(sorted_ids(*response) == c.expected);
    CHECK_FALSE(response->partial);
    CHECK(response->total == c.expected.size());
  }
}

TEST_CASE("relax_below 0 keeps every plain query strict") {
  TidalIndex index{0};
  auto response = index.searcher.search(request_for("tidal barrier flood"));
  REQUIRE(response.ok());
  CHECK(ids_of(response->hits) == Ids{"t1"});
  CHECK_FALSE(response->partial);
}

TEST_CASE("filters apply to the relaxed matches, and the facets count them") {
  TidalIndex index{10};
  SearchRequest request = request_for("tidal barrier flood");
  request.outlets = {"River Times"};
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(ids_of(response->hits) == Ids{"t3", "t4"});
  CHECK(response->total == 2);
  // Each outlet's count is what selecting it adds: Coast Herald has t1 and t2.
  for (const auto& o : response->outlet_facet) {
    CAPTURE(o.value);
    CHECK(o.count == 2);
  }
}

TEST_CASE("a relaxed query pages through the same order") {
  TidalIndex index{10};
  Ids paged;
  for (int page = 1; page <= 3; ++page) {
    SearchRequest request = request_for("tidal barrier flood");
    request.size = 2;
    request.page = page;
    auto response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 4);
    for (const auto& id : ids_of(response->hits)) paged.push_back(id);
  }
  auto whole = index.searcher.search(request_for("tidal barrier flood"));
  REQUIRE(whole.ok());
  CHECK(paged == ids_of(whole->hits));
}

TEST_CASE("exports without facets relax the same way") {
  TidalIndex index{10};
  SearchRequest request = request_for("tidal barrier flood");
  request.facets = false;
  auto response = index.searcher.search(request);
  REQUIRE(response.ok());
  CHECK(response->hits.size() == 4);
  CHECK(response->hits.front().id == "t1");
  CHECK(response->partial);
}

TEST_CASE("relaxed counts from posting lists equal those through the matcher") {
  // "flood*" expands to "flood" alone here, and a pattern needs the matcher.
  TidalIndex index{10};
  const auto lists = index.searcher.search(request_for("tidal barrier flood"));
  const auto matcher = index.searcher.search(request_for("tidal barrier flood*"));
  REQUIRE(lists.ok());
  REQUIRE(matcher.ok());
  CHECK(ids_of(lists->hits) == ids_of(matcher->hits));
  CHECK(lists->total == matcher->total);
  CHECK(lists->dropped.size() == matcher->dropped.size());
  CHECK(outlet_sum(*lists) == outlet_sum(*matcher));
}

TEST_CASE("date sorts return the same relaxed set") {
  TidalIndex index{2};
  for (const SortOrder sort : {SortOrder::kNewest, SortOrder::kOldest}) {
    SearchRequest request = request_for("tidal Zeppelin barrier");
    request.sort = sort;
    auto response = index.searcher.search(request);
    REQUIRE(response.ok());
    CHECK(sorted_ids(*response) == Ids{"t1", "t2"});
    CHECK(response->total == 2);
  }
}
