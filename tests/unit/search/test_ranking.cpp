/// @file test_ranking.cpp
/// Ranking within the matches: the title boost of a plain query, and the weighting scheme and
/// its parameters as configured.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "fixture.h"
#include "search/hit_stream.h"

using namespace clippings;
using namespace clippings::test;

namespace {

using Ids = std::vector<std::string>;

Article article(std::string id, std::string title, std::string text) {
  return test::article(std::move(id), "Quayside Post", std::move(title), std::move(text));
}

/// Three articles of the same length in which "ferry" and "fares" weigh exactly the same
/// (a title word counts three times, and each body word here is said three times): only
/// where the words are tells them apart. The one with both in the body comes first in the
/// database, so it wins a tie. Two more without the words make them less than common.
std::vector<Article> ferry_articles() {
  return {
      article("body", "Quay news", "Ferry fares. Ferry fares. Ferry fares."),
      article("title", "Ferry fares", "Quay news. Quay news. Quay news."),
      article("half", "Ferry news", "Quay fares. Quay fares. Quay fares."),
      article("gulls", "Gulls", "Gulls over the harbour wall at dawn."),
      article("boats", "Boats", "Boats in the harbour, painted for the summer."),
  };
}

struct Ranked {
  explicit Ranked(std::vector<Article> articles, SearchSettings settings = {})
      : path((dir / "db").string()), searcher([&] {
          Config config = config_for(path);
          config.search = settings;
          return config;
        }()) {
    write_articles(path, articles);
  }
  SearchResponse search(const std::string& q) {
    auto response = searcher.search(request_for(q));
    REQUIRE(response.ok());
    return *response;
  }
  TempDir dir;
  std::string path;
  Searcher searcher;
};

SearchSettings with_title_boost(double boost) {
  SearchSettings settings;
  settings.title_boost = boost;
  return settings;
}

double score_of(const SearchResponse& response, const std::string& id) {
  for (const Hit& hit : response.hits) {
    if (hit.id == id) return hit.score;
  }
  FAIL("no hit ", id);
  return 0;
}

}  // namespace

TEST_CASE("an article with every word in its title ranks above one with them in the body") {
  Ranked plain{ferry_articles(), with_title_boost(0)};
  Ranked boosted{ferry_articles()};
  for (const std::string q : {"ferry fares", "fares ferry", "ferry"}) {
    CAPTURE(q);
    const SearchResponse before = plain.search(q);
    const SearchResponse after = boosted.search(q);
    // Without the boost the words weigh the same wherever they are.
    CHECK(score_of(before, "title") == doctest::Approx(score_of(before, "body")));
    CHECK(ids_of(before.hits).front() == "body");
    CHECK(ids_of(after.hits).front() == "title");
    // The boost is a share of the article's own weight; the others keep theirs.
    CHECK(score_of(after, "title") ==
          doctest::Approx(score_of(before, "title") * (1 + SearchSettings{}.title_boost)));
    CHECK(score_of(after, "body") == doctest::Approx(score_of(before, "body")));
  }
}

TEST_CASE("the title boost needs every word of the query in the title") {
  Ranked index{ferry_articles()};
  const SearchResponse response = index.search("ferry fares");
  // "half" has "ferry" in its title but not "fares": it weighs what "body" weighs.
  CHECK(ids_of(response.hits) == Ids{"title", "body", "half"});
  CHECK(score_of(response, "half") == doctest::Approx(score_of(response, "body")));
  CHECK(ids_of(index.search("ferry").hits) == Ids{"title", "half", "body"});
}

TEST_CASE("an export stream ranks its rows as the page does") {
  Ranked index{ferry_articles()};
  auto stream = index.searcher.stream(request_for("ferry fares"), 0, 10);
  REQUIRE(stream.ok());
  Ids streamed;
  StreamedHit hit;
  for (int i = 0; i < 10 && stream->next(hit); ++i) streamed.push_back(hit.article.id);
  CHECK(streamed == Ids{"title", "body", "half"});
  CHECK(streamed == ids_of(index.search("ferry fares").hits));
}

TEST_CASE("explicit syntax and required words are ranked by the weighting alone") {
  Ranked index{ferry_articles()};
  for (const std::string q : {"ferry AND fares", "\"ferry fares\"", "+ferry +fares"}) {
    CAPTURE(q);
    const SearchResponse response = index.search(q);
    REQUIRE(!response.hits.empty());
    CHECK(score_of(response, "title") == doctest::Approx(score_of(response, "body")));
  }
}

TEST_CASE("the title boost keeps a relaxed query's tiers") {
  // "zeppelin" is in no article: the three with the other two words come back, every one of
  // them one word short, so none has every word in its title and none is boosted.
  Ranked index{ferry_articles()};
  const SearchResponse response = index.search("ferry fares zeppelin");
  CHECK(response.partial);
  CHECK(ids_of(response.hits) == Ids{"body", "title", "half"});
  CHECK(score_of(response, "title") == doctest::Approx(score_of(response, "body")));
}

TEST_CASE("search.bm25_b sets how much a long article's words are discounted") {
  // "short" says "lighthouse" once in four words, "long" twice in forty.
  const std::vector<Article> articles = {
      article("short", "Notes", "The lighthouse reopened."),
      article("long", "Notes",
              "The lighthouse keeper said the lighthouse would open in May after a winter of "
              "work on the lamp, the stairs, the rails, the roof, the doors, the windows, the "
              "paint and the path from the car park to the gate at the end of the pier."),
  };
  SearchSettings full;
  full.bm25_b = 1;
  SearchSettings none;
  none.bm25_b = 0;
  CHECK(ids_of(Ranked{articles, full}.search("lighthouse").hits) == Ids{"short", "long"});
  CHECK(ids_of(Ranked{articles, none}.search("lighthouse").hits) == Ids{"long", "short"});
}

TEST_CASE("search.weighting chooses the weighting scheme") {
  const SearchResponse bm25 = Ranked{ferry_articles()}.search("ferry fares");
  for (const auto& [name, weighting] : kWeightingNames) {
    CAPTURE(name);
    SearchSettings settings;
    settings.weighting = weighting;
    const SearchResponse response = Ranked{ferry_articles(), settings}.search("ferry fares");
    CHECK(ids_of(response.hits) == Ids{"title", "body", "half"});
    // Every scheme weighs differently: the same article scores otherwise.
    if (weighting != Weighting::kBm25) CHECK(score_of(response, "body") != doctest::Approx(score_of(bm25, "body")));
  }
}

TEST_CASE("feedback from the first articles ranks those about the same thing higher") {
  // Every article says "lighthouse" once, so BM25 ranks them by length alone: the three short
  // ones about a lighthouse, then the bakery, then the long one about a lighthouse. The words
  // the first three share (keeper, lamp, beacon) lift the long one over the bakery. The signal
  // box has them too, but not "lighthouse": feedback reorders, it never adds a match. The
  // diary entries make "the" and "and" too common to be feedback words.
  std::vector<Article> articles = {
      article("bakery", "Notes", "The Lighthouse bakery sold rye loaves, buns, tarts and cakes at the market on Saturday."),
      article("lit", "Notes", "The lighthouse keeper lit the lamp at the beacon."),
      article("burned", "Notes", "Lighthouse keeper: the beacon lamp burned."),
      article("climbed", "Notes", "The keeper climbed the lighthouse to the lamp and beacon."),
      article("lens", "Notes", "The keeper of the lighthouse polished the lamp lens and logged the beacon hours before the long night shift."),
      article("signals", "Notes", "The keeper of the signal box lit the lamp by the beacon tower."),
  };
  for (int day = 0; day < 16; ++day) {
    articles.push_back(article(fmt::format("diary{}", day), "Harbour diary",
                               fmt::format("The tide and the wind on day {}.", day)));
  }
  SearchSettings three;
  three.feedback_docs = 3;
  const SearchResponse before = Ranked{articles}.search("lighthouse");
  const SearchResponse after = Ranked{articles, three}.search("lighthouse");
  CHECK(ids_of(before.hits) == Ids{"burned", "lit", "climbed", "bakery", "lens"});
  CHECK(ids_of(after.hits) == Ids{"burned", "lit", "climbed", "lens", "bakery"});
  CHECK(after.total == 5);
  // A date order is not a ranking: feedback leaves it alone.
  SearchRequest newest = request_for("lighthouse");
  newest.sort = SortOrder::kNewest;
  Ranked index{articles, three};
  auto by_date = index.searcher.search(newest);
  REQUIRE(by_date.ok());
  CHECK(score_of(*by_date, "bakery") == doctest::Approx(score_of(before, "bakery")));
}
