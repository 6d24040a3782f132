/// @file test_lookups.cpp
/// One article, similar articles, stats, and the states before a database can be searched.
#include <doctest/doctest.h>

#include <xapian.h>

#include "fixture.h"

using namespace clippings;
using namespace clippings::test;

TEST_CASE("an article comes whole, escaped, with q's words marked") {
  SampleIndex index;
  auto view = index.searcher.article("a08", "unsafe");
  REQUIRE(view.ok());
  CHECK(view->article.title == "Valley school wins science prize");
  CHECK(view->article.outlet == "Valley Courier");
  CHECK(view->title_html == "Valley school wins science prize");
  CHECK(view->text_html ==
        "Pupils built a weather station. Their report quoted &lt;script&gt;alert(1)&lt;/script&gt; "
        "as an example of <mark>unsafe</mark> code &amp; said &quot;never trust input&quot;.");

  view = index.searcher.article("a01", "bridge");
  REQUIRE(view.ok());
  CHECK(view->title_html == "Council approves harbour <mark>bridge</mark>");

  view = index.searcher.article("a01", "");
  REQUIRE(view.ok());
  CHECK(view->text_html.find("<mark>") == std::string::npos);
  CHECK(view->text_html.starts_with("The city council approved"));
}

TEST_CASE("article errors") {
  SampleIndex index;
  auto missing = index.searcher.article("nope", "");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().status == 404);
  CHECK(missing.error().code == "not_found");
  CHECK(missing.error().message == "no article with id 'nope'");
  auto bad_query = index.searcher.article("a01", "bridge AND");
  REQUIRE_FALSE(bad_query.ok());
  CHECK(bad_query.error().status == 400);
  CHECK(bad_query.error().param == "q");
}

TEST_CASE("similar articles share topic words and exclude the article itself") {
  SampleIndex index;
  auto similar = index.searcher.similar("a01", 5);
  REQUIRE(similar.ok());
  REQUIRE_FALSE(similar->empty());
  CHECK(similar->front().id == "a03");  // harbour bridge, piers, council, engineers, spring
  for (const Hit& hit : *similar) CHECK(hit.id != "a01");
  CHECK(similar->size() <= 5);
  CHECK(similar->front().snippet_html.starts_with("The opening of the harbour bridge"));

  auto railway = index.searcher.similar("a04", 2);
  REQUIRE(railway.ok());
  REQUIRE_FALSE(railway->empty());
  CHECK(railway->size() <= 2);
  for (const Hit& hit : *railway) CHECK(hit.id != "a04");

  auto missing = index.searcher.similar("nope", 5);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().status == 404);
  auto bad_size = index.searcher.similar("a01", 0);
  REQUIRE_FALSE(bad_size.ok());
  CHECK(bad_size.error().param == "size");
}

TEST_CASE("stats describe the database and follow new commits") {
  SampleIndex index;
  auto stats = index.searcher.stats();
  REQUIRE(stats.ok());
  CHECK(stats->articles == 13);
  REQUIRE(stats->outlets.size() == 3);
  CHECK(stats->outlets[0].value == "The Harbour Gazette");
  CHECK(stats->outlets[0].count == 5);
  CHECK(stats->outlets[1].value == "Northern Ledger");
  CHECK(stats->outlets[2].value == "Valley Courier");
  CHECK(stats->first_date == "2021-03-15");
  CHECK(stats->last_date == "2023-12-31");
  const Xapian::rev first_revision = stats->revision;
  CHECK(first_revision >= 1);

  Article extra = sample_articles()[0];
  extra.id = "a99";
  extra.date = "2020-05-05";
  write_articles(index.path, {extra});
  stats = index.searcher.stats();
  REQUIRE(stats.ok());
  CHECK(stats->articles == 14);
  CHECK(stats->outlets[0].count == 6);
  CHECK(stats->first_date == "2020-05-05");
  CHECK(stats->revision > first_revision);
}

TEST_CASE("a missing or empty database is not ready, with the reason, until it has articles") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  Searcher searcher{config_for(path)};
  CHECK_FALSE(searcher.ready());
  CHECK(searcher.not_ready_reason() == "no database at " + path + ": run clippings-indexer first");
  auto response = searcher.search(request_for("bridge"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().status == 503);
  CHECK(response.error().code == "not_ready");
  CHECK_FALSE(searcher.stats().ok());
  CHECK(searcher.article("a01", "").error().status == 503);
  CHECK(searcher.similar("a01", 3).error().status == 503);

  write_articles(path, {});
  CHECK_FALSE(searcher.ready());
  CHECK(searcher.not_ready_reason() == "the database at " + path + " is empty");

  write_articles(path, sample_articles());
  CHECK(searcher.ready());
  CHECK(searcher.not_ready_reason().empty());
  response = searcher.search(request_for("bridge"));
  REQUIRE(response.ok());
  CHECK(response->total == 3);
}

TEST_CASE("a directory that is not a database is not ready") {
  TempDir dir;
  write_file(dir / "db" / "notes.txt", "not a database");
  Searcher searcher{config_for((dir / "db").string())};
  CHECK_FALSE(searcher.ready());
  CHECK(searcher.not_ready_reason().find((dir / "db").string()) != std::string::npos);
}
