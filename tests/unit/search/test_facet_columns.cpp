/// @file test_facet_columns.cpp
/// Outlet and day numbers per document, and when they are read again.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>

#include <doctest/doctest.h>

#include <xapian.h>

#include "fixture.h"
#include "schema.h"
#include "search/day_filter.h"
#include "search/facet_columns.h"

using namespace clippings;
using namespace clippings::test;

namespace {

/// A document with only the values the columns read; an empty argument leaves its value out.
Xapian::Document document_with(const std::string& outlet, const std::string& date) {
  Xapian::Document doc;
  if (!outlet.empty()) doc.add_value(schema::kSlotOutlet, outlet);
  if (!date.empty()) doc.add_value(schema::kSlotDate, date);
  return doc;
}

}  // namespace

TEST_CASE("facet columns number outlets as met and days in date order") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    db.add_document(document_with("Valley Courier", "20230102"));  // docid 1
    db.add_document(document_with("Northern Ledger", "20211102"));
    db.add_document(document_with("Valley Courier", ""));
    db.add_document(document_with("", "20220620"));
    db.add_document(document_with("Northern Ledger", "20221399"));  // no real day
    db.add_document(document_with("Valley Courier", "20211102"));
    db.commit();
  }
  const Xapian::Database db(path);
  const search::FacetColumns columns(db);

  CHECK(columns.outlets() == std::vector<std::string>{"", "Valley Courier", "Northern Ledger"});
  CHECK(columns.day_values() ==
        std::vector<std::string>{"", "20211102", "20220620", "20221399", "20230102"});
  const auto& days = columns.day_numbers();
  REQUIRE(days.size() == 5);
  CHECK_FALSE(days[0]);
  CHECK(days[1] == 18933);  // 2021-11-02
  CHECK_FALSE(days[3]);
  CHECK(days[4] == 19359);  // 2023-01-02

  struct Expected {
    Xapian::docid did;
    std::uint32_t outlet, day;
  };
  for (const Expected& e : {Expected{1, 1, 4}, Expected{2, 2, 1}, Expected{3, 1, 0},
                            Expected{4, 0, 2}, Expected{5, 2, 3}, Expected{6, 1, 1},
                            Expected{7, 0, 0}, Expected{0, 0, 0}}) {
    CAPTURE(e.did);
    CHECK(columns.cell(e.did).outlet == e.outlet);
    CHECK(columns.cell(e.did).day == e.day);
  }

  using Range = std::pair<std::uint32_t, std::uint32_t>;
  CHECK(columns.day_range("", "") == Range{1, 5});  // every dated document, never undated
  CHECK(columns.day_range("20211102", "20221231") == Range{1, 3});
  CHECK(columns.day_range("20211102", "20221399") == Range{1, 4});  // as values compare
  CHECK(columns.day_range("20211103", "20220620") == Range{2, 3});
  CHECK(columns.day_range("20230103", "") == Range{5, 5});
  CHECK(columns.day_range("", "20200101") == Range{1, 1});

  CHECK(columns.documents_in({1, 5}) == 5);
  CHECK(columns.documents_in({1, 2}) == 2);  // 20211102 twice
  CHECK(columns.documents_in({5, 5}) == 0);
}

TEST_CASE("facet columns read in sorted pages, as for a remote shard, give each document what the streams give") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    const char* outlets[] = {"Valley Courier", "Northern Ledger", "", "Harbour Gazette"};
    for (int i = 0; i < 50; ++i) {
      Xapian::Document doc = document_with(outlets[i % 4], i % 7 == 0 ? "" : "202201" + std::to_string(10 + i % 20));
      if (i % 5 == 0) doc.add_value(schema::kSlotGroup, "g" + std::to_string(i % 3));
      db.add_document(doc);
    }
    db.delete_document(9);  // a docid left empty
    db.commit();
  }
  const Xapian::Database db(path);
  const search::FacetColumns streamed(db);
  const search::FacetColumns paged(db, search::revision_of(db), SlotReading::kSortedPages);
  CHECK(paged.revision() == streamed.revision());
  REQUIRE(paged.last_docid() == streamed.last_docid());
  for (Xapian::docid did = 1; did <= streamed.last_docid(); ++did) {
    CAPTURE(did);
    CHECK(paged.outlets()[paged.cell(did).outlet] == streamed.outlets()[streamed.cell(did).outlet]);
    CHECK(paged.day_values()[paged.cell(did).day] == streamed.day_values()[streamed.cell(did).day]);
    CHECK(paged.group_name(paged.group(did)) == streamed.group_name(streamed.group(did)));
  }
  CHECK(paged.group_count() == 3);
  CHECK(paged.documents_in(paged.day_range("20220115", "20220120")) ==
        streamed.documents_in(streamed.day_range("20220115", "20220120")));
}

TEST_CASE("a day filter matches the documents of its days, on its own and with a query") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    const char* dates[] = {"20220101", "", "20220301", "20220102", "20211231", "20220101"};
    for (std::size_t i = 0; i < std::size(dates); ++i) {
      Xapian::Document doc = document_with("Valley Courier", dates[i]);
      doc.add_term(i % 2 == 0 ? "even" : "odd");
      db.add_document(doc);
    }
    db.commit();
  }
  const Xapian::Database db(path);
  const auto columns = std::make_shared<const search::FacetColumns>(db);
  auto matches = [&](const Xapian::Query& query, const std::string& from, const std::string& to) {
    Xapian::Enquire enquire(db);
    enquire.set_query(search::filter_days(query, {{"", columns}}, from, to));
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> dids;
    const Xapian::MSet mset = enquire.get_mset(0, 10, db.get_doccount());
    CHECK(mset.get_matches_lower_bound() == mset.get_matches_upper_bound());  // exact
    for (auto it = mset.begin(); it != mset.end(); ++it) dids.push_back(*it);
    return dids;
  };
  using Dids = std::vector<Xapian::docid>;
  const Xapian::Query everything = Xapian::Query::MatchAll;
  CHECK(matches(everything, "20220101", "20220131") == Dids{1, 4, 6});
  CHECK(matches(everything, "", "20220101") == Dids{1, 5, 6});
  CHECK(matches(everything, "20220201", "") == Dids{3});
  CHECK(matches(everything, "", "") == Dids{1, 3, 4, 5, 6});  // never the undated one
  CHECK(matches(everything, "20230101", "").empty());
  CHECK(matches(Xapian::Query("even"), "20220101", "20220131") == Dids{1});
  CHECK(matches(Xapian::Query("even"), "20211201", "20220331") == Dids{1, 3, 5});
  const Xapian::Query either(Xapian::Query::OP_OR, Xapian::Query("even"), Xapian::Query("odd"));
  CHECK(matches(either, "20220102", "20220301") == Dids{3, 4});
}

TEST_CASE("over local shards, a day filter reads each shard's own columns, found by its uuid") {
  TempDir dir;
  // Joined, the two shards' docids interleave: joined docid n is dates[n - 1].
  const char* dates[] = {"20220101", "", "20220301", "20220102", "20211231", "20220101", "20220215", "20220302"};
  Xapian::Database joined;
  std::vector<search::DayFilterPart> parts;
  for (std::size_t shard = 0; shard < 2; ++shard) {
    const std::string path = (dir / ("shard" + std::to_string(shard))).string();
    {
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
      for (std::size_t i = shard; i < std::size(dates); i += 2) db.add_document(document_with("Valley Courier", dates[i]));
      db.commit();
    }
    const Xapian::Database db(path);
    joined.add_database(db);
    parts.push_back({db.get_uuid(), std::make_shared<const search::FacetColumns>(db)});
  }
  auto matches = [&joined](const std::vector<search::DayFilterPart>& with, const std::string& from,
                           const std::string& to) {
    Xapian::Enquire enquire(joined);
    enquire.set_query(search::filter_days(Xapian::Query::MatchAll, with, from, to));
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> dids;
    const Xapian::MSet mset = enquire.get_mset(0, 10, joined.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) dids.push_back(*it);
    return dids;
  };
  using Dids = std::vector<Xapian::docid>;
  const std::vector<search::DayFilterPart> reversed{parts[1], parts[0]};  // by uuid, not by place
  for (const auto& with : {parts, reversed}) {
    CHECK(matches(with, "20220101", "20220131") == Dids{1, 4, 6});
    CHECK(matches(with, "", "20220101") == Dids{1, 5, 6});
    CHECK(matches(with, "20220201", "") == Dids{3, 7, 8});
    CHECK(matches(with, "", "") == Dids{1, 3, 4, 5, 6, 7, 8});
    CHECK(matches(with, "20220301", "20220302") == Dids{3, 8});
  }
}

TEST_CASE("the facet columns cache reads a revision once and a new commit again") {
  SampleIndex index;
  search::FacetColumnsCache cache;
  const Xapian::Database first(index.path), second(index.path);
  const auto columns = cache.get(first);
  CHECK(cache.get(second) == columns);  // another handle on the same revision
  CHECK(columns->outlets().size() == 4);

  Article moved = sample_articles().front();
  moved.outlet = "Island Post";
  moved.date = "2024-02-29";
  write_articles(index.path, {moved});
  CHECK(cache.get(first) == columns);  // a handle not yet reopened keeps its revision

  Xapian::Database reopened(index.path);
  const auto newer = cache.get(reopened);
  REQUIRE(newer != columns);
  CHECK(newer->revision() > columns->revision());
  REQUIRE(newer->outlets().size() == 5);
  const Xapian::docid did = *reopened.postlist_begin(schema::id_term(moved.id));
  CHECK(newer->outlets()[newer->cell(did).outlet] == "Island Post");
  CHECK(newer->day_values()[newer->cell(did).day] == "20240229");
}

TEST_CASE("searchers sharing a cache count a replaced article where it now belongs") {
  SampleIndex index;
  auto cache = std::make_shared<search::FacetColumnsCache>();
  Searcher one(config_for(index.path), cache), two(config_for(index.path), cache);
  REQUIRE(one.search(request_for("")).ok());

  Article moved = sample_articles().front();  // a01, The Harbour Gazette, 2021-03-15
  moved.outlet = "Island Post";
  moved.date = "2024-02-29";
  write_articles(index.path, {moved});

  for (Searcher* searcher : {&one, &two}) {
    SearchRequest request = request_for("");
    request.outlets = {"Island Post"};
    request.from = "2024-01-01";
    auto response = searcher->search(request);
    REQUIRE(response.ok());
    CHECK(response->total == 1);
    REQUIRE(!response->outlet_facet.empty());
    CHECK(response->outlet_facet.front().value == "Island Post");
    CHECK(response->outlet_facet.front().count == 1);
    const auto gazette = std::find_if(response->outlet_facet.begin(), response->outlet_facet.end(),
                                      [](const OutletCount& o) { return o.value == "The Harbour Gazette"; });
    CHECK(gazette == response->outlet_facet.end());  // none of its articles is from 2024
    REQUIRE(!response->date_facet.buckets.empty());
    CHECK(response->date_facet.buckets.back().key == "2024-02-29");
  }
}

TEST_CASE("a search does not wait while another reads a new revision's columns") {
  SampleIndex index;
  auto cache = std::make_shared<search::FacetColumnsCache>();
  Searcher reader(config_for(index.path), cache), other(config_for(index.path), cache);
  REQUIRE(reader.search(request_for("")).ok());
  REQUIRE(other.search(request_for("")).ok());

  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false, released = false;
  cache->on_read([&](const Xapian::Database&) {
    std::unique_lock lock{mutex};
    entered = true;
    changed.notify_all();
    changed.wait_for(lock, std::chrono::seconds{60}, [&] { return released; });
  });
  const auto release = [&] {
    std::lock_guard lock{mutex};
    released = true;
    changed.notify_all();
  };
  Article added = sample_articles().front();
  added.id = "a14";
  write_articles(index.path, {added});

  // `reader` is the first to see the new revision: it reads the columns, held here.
  auto first = std::async(std::launch::async, [&] { return reader.search(request_for("")); });
  {
    std::unique_lock lock{mutex};
    REQUIRE(changed.wait_for(lock, std::chrono::seconds{30}, [&] { return entered; }));
  }
  // Meanwhile `other` answers from the revision it has, documents and columns together.
  auto meanwhile = std::async(std::launch::async, [&] { return other.search(request_for("")); });
  const bool answered = meanwhile.wait_for(std::chrono::seconds{20}) == std::future_status::ready;
  release();
  REQUIRE(answered);
  const auto old_answer = meanwhile.get();
  REQUIRE(old_answer.ok());
  CHECK(old_answer->total == 13);
  const auto new_answer = first.get();
  REQUIRE(new_answer.ok());
  CHECK(new_answer->total == 14);
  // Once the columns are read, `other` moves to the new revision too.
  const auto after = other.search(request_for(""));
  REQUIRE(after.ok());
  CHECK(after->total == 14);
}
