/// @file test_date_order.cpp
/// A search without words in date order, read from the facet columns, gives the page Xapian's
/// date sort gives.
#include <doctest/doctest.h>

#include <tuple>

#include <xapian.h>

#include "article.h"
#include "fixture.h"
#include "schema.h"
#include "search/date_order.h"

using namespace clippings;
using namespace clippings::test;

namespace {

/// Articles sharing days with the samples and with each other, and more undated ones, so that
/// pages cut through days and the docid order within a day shows.
std::vector<Article> same_day_articles() {
  std::vector<Article> articles;
  for (const auto& [id, outlet, date] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"b01", "Northern Ledger", "2022-11-27"}, {"b02", "The Harbour Gazette", "2022-11-27"},
           {"b03", "Valley Courier", "2021-03-15"}, {"b04", "The Harbour Gazette", ""},
           {"b05", "Northern Ledger", "2023-12-31"}, {"b06", "The Harbour Gazette", "2022-11-27"}}) {
    Article a;
    a.id = id;
    a.outlet = outlet;
    a.date = date;
    a.title = "Tide tables for " + id;
    a.text = "The tide tables were printed again.";
    a.lang = "en";
    articles.push_back(a);
  }
  return articles;
}

/// Every page of `request` (size 4) as ids, with its total, for the query `q`.
std::pair<std::vector<std::string>, Xapian::doccount> all_pages(Searcher& searcher, SearchRequest request,
                                                                const std::string& q) {
  request.q = q;
  request.size = 4;
  std::vector<std::string> ids;
  Xapian::doccount total = 0;
  for (int page = 1; page <= 6; ++page) {
    request.page = page;
    const auto response = searcher.search(request);
    REQUIRE(response.ok());
    total = response->total;
    for (const auto& hit : response->hits) {
      ids.push_back(hit.id);
      CHECK(hit.score == 0);
    }
  }
  return {ids, total};
}

}  // namespace

TEST_CASE("a search without words in date order pages as Xapian's date sort does") {
  SampleIndex index;
  write_articles(index.path, same_day_articles());
  struct Filter {
    std::vector<std::string> outlets;
    std::string from, to;
  };
  const std::vector<Filter> filters{
      {}, {{"The Harbour Gazette"}, "", ""}, {{}, "2022-01-01", "2022-12-31"},
      {{"Northern Ledger", "the harbour gazette"}, "2022-11-01", ""}, {{"Nowhere Times"}, "", ""}};
  const auto check_all = [&] {
    for (const SortOrder sort : {SortOrder::kNewest, SortOrder::kOldest, SortOrder::kRelevance}) {
      for (const auto& filter : filters) {
        CAPTURE(static_cast<int>(sort));
        CAPTURE(filter.outlets.size());
        CAPTURE(filter.from);
        SearchRequest request = request_for("");
        request.sort = sort == SortOrder::kRelevance ? SortOrder::kNewest : sort;
        request.outlets = filter.outlets;
        request.from = filter.from;
        request.to = filter.to;
        // A word no article has, left out: every article, through the matcher and its sort.
        const auto through_matcher = all_pages(index.searcher, request, "-zzzunused");
        request.sort = sort;
        const auto from_columns = all_pages(index.searcher, request, "");
        CHECK(from_columns.first == through_matcher.first);
        CHECK(from_columns.second == through_matcher.second);
        CHECK(from_columns.first.size() == from_columns.second);
      }
    }
  };
  check_all();

  Xapian::Database db(index.path);
  search::FacetColumns columns(db);
  search::FacetFilter none;
  const auto page = search::match_all_by_date(columns, none, true, 0, 3, db.get_doccount());
  REQUIRE(page.has_value());
  // 2023-12-31: a09 then b05 by docid; then 2023-07-14.
  std::vector<std::string> ids;
  for (const Xapian::docid did : *page) ids.push_back(from_stored_data(db.get_document(did).get_data()).id);
  CHECK(ids == std::vector<std::string>{"a09", "b05", "a10"});
  CHECK(search::match_all_by_date(columns, none, true, 100, 3, db.get_doccount())->empty());

  SUBCASE("with deleted articles the columns step aside and the matcher sorts") {
    {
      Xapian::WritableDatabase writable(index.path);
      writable.delete_document(schema::id_term("a05"));
      writable.commit();
    }
    Xapian::Database after(index.path);
    search::FacetColumns reread(after);
    CHECK_FALSE(search::match_all_by_date(reread, none, true, 0, 3, after.get_doccount()).has_value());
    check_all();
  }
}
