/// @file test_shards.cpp
/// Shards searched as one give the answers of one database holding all their articles.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "fixture.h"
#include "schema.h"
#include "search/facets.h"
#include "search/shards.h"
#include "search/value_counts.h"

using namespace clippings;
using namespace clippings::test;

namespace {

/// Shards of `sizes[i]` articles each (ids a<shard>-<n>, each with its own number in its title
/// and text), written under `dir`: their paths.
std::vector<std::string> write_lantern_shards(const TempDir& dir, const std::vector<int>& sizes) {
  std::vector<std::string> paths;
  for (std::size_t shard = 0; shard < sizes.size(); ++shard) {
    std::vector<Article> articles;
    for (int i = 0; i < sizes[shard]; ++i) {
      const std::string n = std::to_string(shard) + "-" + std::to_string(i);
      articles.push_back(article("a" + n, "Harbour Gazette", "Lantern " + n, "The lantern " + n + " was relit."));
    }
    paths.push_back((dir / ("shard" + std::to_string(shard))).string());
    write_articles(paths.back(), articles);
  }
  return paths;
}

/// The sample articles and two French ones, which only the last shard holds.
std::vector<Article> all_articles() {
  std::vector<Article> articles = sample_articles();
  for (auto [id, title] : {std::pair{"f01", "Le pont du port est ouvert"}, std::pair{"f02", "Les ponts du port"}}) {
    Article a = article(id, "Le Courrier du Port", title,
                        "Le conseil a ouvert le pont du port. Les ingénieurs ont fini les piles du pont.");
    a.lang = "fr";
    articles.push_back(a);
  }
  return articles;
}

/// The articles cut into shards of uneven sizes, so that the joined docids are not those of
/// one database: ties may come in another order, nothing else may differ.
std::vector<std::vector<Article>> uneven_shards() {
  const auto articles = all_articles();
  return {{articles.begin(), articles.begin() + 6},
          {articles.begin() + 6, articles.begin() + 10},
          {articles.begin() + 10, articles.end()}};
}

/// A hit as compared: its id and what a reader sees of it.
using SeenHit = std::tuple<std::string, std::string, std::string, std::string>;

/// The hits in order, those of equal score and date sorted by id: the order of ties is the
/// docids', which shards number otherwise.
std::vector<SeenHit> seen_hits(const SearchResponse& response) {
  std::vector<SeenHit> seen;
  std::vector<std::pair<long long, std::string>> keys;
  for (const Hit& hit : response.hits) {
    seen.emplace_back(hit.id, hit.title_html, hit.snippet_html, hit.date);
    keys.emplace_back(std::llround(hit.score * 1e9), hit.date);
  }
  for (std::size_t start = 0, end = 0; start < seen.size(); start = end) {
    while (end < seen.size() && keys[end] == keys[start]) ++end;
    std::sort(seen.begin() + static_cast<long>(start), seen.begin() + static_cast<long>(end));
  }
  return seen;
}

void check_same(const SearchResponse& shards, const SearchResponse& one) {
  CHECK(shards.total == one.total);
  CHECK(shards.total_articles == one.total_articles);
  CHECK(shards.total_exact == one.total_exact);
  CHECK(shards.partial == one.partial);
  CHECK(shards.dropped == one.dropped);
  CHECK(shards.suggestion == one.suggestion);
  CHECK(shards.corrected_from == one.corrected_from);
  CHECK(seen_hits(shards) == seen_hits(one));
  REQUIRE(shards.outlet_facet.size() == one.outlet_facet.size());
  for (std::size_t i = 0; i < one.outlet_facet.size(); ++i) {
    CHECK(shards.outlet_facet[i].value == one.outlet_facet[i].value);
    CHECK(shards.outlet_facet[i].count == one.outlet_facet[i].count);
    CHECK(shards.outlet_facet[i].selected == one.outlet_facet[i].selected);
  }
  REQUIRE(shards.lang_facet.size() == one.lang_facet.size());
  for (std::size_t i = 0; i < one.lang_facet.size(); ++i) {
    CHECK(shards.lang_facet[i].code == one.lang_facet[i].code);
    CHECK(shards.lang_facet[i].count == one.lang_facet[i].count);
  }
  CHECK(shards.date_facet.interval == one.date_facet.interval);
  CHECK(shards.date_facet.undated == one.date_facet.undated);
  REQUIRE(shards.date_facet.buckets.size() == one.date_facet.buckets.size());
  for (std::size_t i = 0; i < one.date_facet.buckets.size(); ++i) {
    CHECK(shards.date_facet.buckets[i].key == one.date_facet.buckets[i].key);
    CHECK(shards.date_facet.buckets[i].count == one.date_facet.buckets[i].count);
  }
  REQUIRE(shards.timeline.has_value() == one.timeline.has_value());
  if (one.timeline) {
    CHECK(shards.timeline->outlets == one.timeline->outlets);
    REQUIRE(shards.timeline->buckets.size() == one.timeline->buckets.size());
    for (std::size_t i = 0; i < one.timeline->buckets.size(); ++i) {
      CHECK(shards.timeline->buckets[i].counts == one.timeline->buckets[i].counts);
    }
  }
}

/// Requests of every kind: words, phrases, NOT, wildcards, fields, nothing; filters of each
/// facet; both date orders; a later page; a misspelt word; a plain query too thin to keep.
std::vector<SearchRequest> requests() {
  std::vector<SearchRequest> all;
  for (const std::string q : {"", "bridge", "harbour bridge", "\"harbour bridge\"", "railway NOT fares",
                              "rail*", "title:bridge", "outlet:\"Valley Courier\"", "pont", "brigde",
                              "bridge spring zeppelin", "harbour OR valley", "zzq*", "bridg* NOT zzq*"}) {
    all.push_back(request_for(q));
  }
  SearchRequest outlets = request_for("the");
  outlets.outlets = {"Northern Ledger", "Le Courrier du Port"};
  all.push_back(outlets);
  SearchRequest dated = request_for("");
  dated.from = "2022-01-01";
  dated.to = "2022-12-31";
  all.push_back(dated);
  SearchRequest since = request_for("the");  // one bound only: undated articles stay out
  since.from = "2022-06-01";
  all.push_back(since);
  SearchRequest until = request_for("");
  until.to = "2022-06-30";
  all.push_back(until);
  SearchRequest french = request_for("");
  french.langs = {"fr"};
  all.push_back(french);
  for (const SortOrder sort : {SortOrder::kNewest, SortOrder::kOldest}) {
    SearchRequest ordered = request_for("the");
    ordered.sort = sort;
    all.push_back(ordered);
  }
  SearchRequest page = request_for("");
  page.size = 4;
  page.page = 2;
  page.sort = SortOrder::kOldest;
  all.push_back(page);
  SearchRequest timeline = request_for("harbour");
  timeline.timeline = true;
  all.push_back(timeline);
  return all;
}

}  // namespace

TEST_CASE("shards searched as one answer every kind of request as one database does") {
  TempDir dir;
  const std::string one = (dir / "one").string();
  write_articles(one, all_articles());
  Config sharded = config_for("unused");
  const auto parts = uneven_shards();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sharded.shards.push_back((dir / ("shard" + std::to_string(i))).string());
    write_articles(sharded.shards.back(), parts[i]);
  }
  Searcher single{config_for(one)};
  Searcher joined{sharded};
  for (const SearchRequest& request : requests()) {
    CAPTURE(request.q);
    CAPTURE(request.page);
    CAPTURE(static_cast<int>(request.sort));
    const auto expected = single.search(request);
    const auto got = joined.search(request);
    REQUIRE(expected.ok());
    REQUIRE(got.ok());
    check_same(*got, *expected);
  }
  // The lookups find an article of any shard by its joined docid.
  const auto french = joined.article("f02", "pont");
  REQUIRE(french.ok());
  CHECK(french->article.title == "Les ponts du port");
  CHECK(french->title_html.find("<mark>ponts</mark>") != std::string::npos);
  const auto stats = joined.stats();
  REQUIRE(stats.ok());
  CHECK(stats->articles == 15);
  CHECK(stats->langs.size() == 2);
}

namespace {

/// What match spies count over `query` in each of `shards`, with its columns, added up: how a
/// server over local shards counts.
search::FacetCounts spied_counts(const std::vector<Xapian::Database>& shards,
                                 const std::vector<std::shared_ptr<const search::FacetColumns>>& columns,
                                 const Xapian::Query& query, const search::FacetFilter& filter) {
  const search::ShardCounters counters{columns, filter};
  for (std::size_t i = 0; i < shards.size(); ++i) {
    Xapian::Enquire enquire{shards[i]};
    enquire.set_query(query);
    enquire.add_matchspy(&counters[i]);
    enquire.get_mset(0, 0, shards[i].get_doccount());
  }
  return counters.sum(search::SpanningGroups{columns});
}

void check_same_counts(search::FacetCounts got, search::FacetCounts expected) {
  CHECK(got.total == expected.total);
  CHECK(got.stories == expected.stories);
  CHECK(got.outlets == expected.outlets);
  CHECK(got.langs == expected.langs);
  CHECK(got.days == expected.days);
  CHECK(got.undated == expected.undated);
  const auto by_outlet_day = [](const search::OutletDay& a, const search::OutletDay& b) {
    return std::tie(a.outlet, a.day, a.count) < std::tie(b.outlet, b.day, b.count);
  };
  std::sort(got.timeline.begin(), got.timeline.end(), by_outlet_day);
  std::sort(expected.timeline.begin(), expected.timeline.end(), by_outlet_day);
  REQUIRE(got.timeline.size() == expected.timeline.size());
  for (std::size_t i = 0; i < got.timeline.size(); ++i) {
    CHECK(got.timeline[i].outlet == expected.timeline[i].outlet);
    CHECK(got.timeline[i].day == expected.timeline[i].day);
    CHECK(got.timeline[i].count == expected.timeline[i].count);
  }
}

}  // namespace

TEST_CASE("counting from the list of matching docids, or with Xapian's spies, counts what ours count in each shard") {
  TempDir dir;
  const auto parts = uneven_shards();
  std::vector<Xapian::Database> shards;
  std::vector<std::shared_ptr<const search::FacetColumns>> columns;
  Xapian::Database joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string path = (dir / ("shard" + std::to_string(i))).string();
    write_articles(path, parts[i]);
    shards.emplace_back(path);
    joined.add_database(shards.back());
    // Read as for a remote shard: in pages of a search sorted by each slot.
    columns.push_back(std::make_shared<const search::FacetColumns>(shards.back(), search::revision_of(shards.back()),
                                                                   SlotReading::kSortedPages));
  }
  search::FacetFilter outlets;
  outlets.outlet_terms = {schema::outlet_term("Northern Ledger"), schema::outlet_term("Le Courrier du Port")};
  search::FacetFilter dated;
  dated.date_from = "20220101";
  dated.date_to = "20221231";
  dated.timeline = true;
  search::FacetFilter french;
  french.langs = {"fr"};
  for (const Xapian::Query& query : {Xapian::Query::MatchAll, Xapian::Query{"bridg"},
                                     Xapian::Query{Xapian::Query::OP_OR, Xapian::Query{"the"}, Xapian::Query{"pont"}}}) {
    CAPTURE(query.get_description());
    REQUIRE(spied_counts(shards, columns, query, {}).total > 1);  // counts worth comparing
    for (const search::FacetFilter& filter : {search::FacetFilter{}, outlets, dated, french}) {
      const search::FacetCounts expected = spied_counts(shards, columns, query, filter);
      check_same_counts(search::count_listed(shards, query, columns, search::SpanningGroups{columns}, filter),
                        expected);
      // And so do Xapian's own match spies, which count until the columns are read.
      check_same_counts(search::count_by_values(search::CountingPass{joined}, query, filter), expected);
    }
  }
}

TEST_CASE("groups of copies in more than one shard are numbered across them, the others not") {
  TempDir dir;
  const std::vector<std::vector<std::string>> groups_by_shard = {{"a", "b", "b"}, {"b", "c"}, {"a", "c", "d", ""}};
  std::vector<std::shared_ptr<const search::FacetColumns>> columns;
  for (std::size_t i = 0; i < groups_by_shard.size(); ++i) {
    const std::string path = (dir / ("shard" + std::to_string(i))).string();
    Xapian::WritableDatabase db{path, Xapian::DB_CREATE};
    for (const std::string& group : groups_by_shard[i]) {
      Xapian::Document doc;
      if (!group.empty()) doc.add_value(schema::kSlotGroup, group);
      db.add_document(doc);
    }
    db.commit();
    columns.push_back(std::make_shared<const search::FacetColumns>(Xapian::Database{path}));
  }
  const search::SpanningGroups spanning{columns};
  // The number of the group of the shard's document `did` across the shards.
  const auto across = [&](std::size_t shard, Xapian::docid did) { return spanning.of(shard, columns[shard]->group(did)); };
  CHECK(spanning.count() == 3);  // a, b and c; d is in one shard only
  CHECK(across(0, 1) != 0);
  CHECK(across(0, 1) == across(2, 1));  // a
  CHECK(across(0, 2) == across(1, 1));  // b
  CHECK(across(0, 3) == across(0, 2));
  CHECK(across(1, 2) == across(2, 2));  // c
  CHECK(std::set<std::uint32_t>{across(0, 1), across(0, 2), across(1, 2)}.size() == 3);
  CHECK(across(2, 3) == 0);  // d
  CHECK(across(2, 4) == 0);  // no group

  // The cache makes them once for a set of revisions and shares them; a shard at a new
  // revision gets them made again.
  search::FacetColumnsCache cache{columns.size()};
  const auto shared = cache.spanning(columns);
  CHECK(cache.spanning(columns) == shared);
  CHECK(shared->count() == 3);
  {
    Xapian::WritableDatabase db{(dir / "shard0").string(), Xapian::DB_OPEN};
    Xapian::Document doc;
    doc.add_value(schema::kSlotGroup, "d");
    db.add_document(doc);
    db.commit();
  }
  auto after = columns;
  after[0] = std::make_shared<const search::FacetColumns>(Xapian::Database{(dir / "shard0").string()});
  const auto renumbered = cache.spanning(after);
  CHECK(renumbered != shared);
  CHECK(renumbered->count() == 4);  // d now spans shards 0 and 2
  CHECK(renumbered->of(0, after[0]->group(4)) == renumbered->of(2, after[2]->group(3)));
  CHECK(cache.spanning(after) == renumbered);
}

TEST_CASE("a wildcard with more words than it may expand to searches the words one database would") {
  // Over all the articles "glacier" is the most frequent glac- word; the first shard has only
  // "glacial", which it would pick if it expanded glac* on its own.
  const std::vector<Article> first = {
      article("g1", "Alpine Post", "A glacial lake", "A glacial lake formed below the pass."),
      article("g2", "Alpine Post", "The glacial valley", "The glacial valley floods each spring."),
      article("g3", "Alpine Post", "The lake", "A lake without ice, below the pass.")};
  const std::vector<Article> second = {
      article("g4", "Mountain Daily", "The glacier", "The glacier retreats above the lake."),
      article("g5", "Mountain Daily", "A glacier melts", "A glacier melts in the spring sun."),
      article("g6", "Mountain Daily", "Under the glacier", "Under the glacier the guides found a cave.")};
  TempDir dir;
  std::vector<Article> all = first;
  all.insert(all.end(), second.begin(), second.end());
  Config one = config_for((dir / "one").string());
  write_articles(one.database, all);
  Config sharded = config_for("unused");
  sharded.shards = {(dir / "first").string(), (dir / "second").string()};
  write_articles(sharded.shards[0], first);
  write_articles(sharded.shards[1], second);
  one.server.max_wildcard_expansion = sharded.server.max_wildcard_expansion = 1;
  Searcher single{one};
  Searcher joined{sharded};
  const auto glacier = single.search(request_for("glac*"));
  REQUIRE(glacier.ok());
  CHECK(sorted_ids(*glacier) == std::vector<std::string>{"g4", "g5", "g6"});
  for (const std::string q : {"glac*", "title:glac*", "lake NOT glac*", "lake -glac*", "glac* lake", "glac* OR cave"}) {
    CAPTURE(q);
    const auto expected = single.search(request_for(q));
    const auto got = joined.search(request_for(q));
    REQUIRE(expected.ok());
    REQUIRE(got.ok());
    check_same(*got, *expected);
  }
}

TEST_CASE("a new commit to one shard is searched at once") {
  TempDir dir;
  Config sharded = config_for("unused");
  const auto parts = uneven_shards();
  for (std::size_t i = 0; i < 2; ++i) {
    sharded.shards.push_back((dir / ("shard" + std::to_string(i))).string());
    write_articles(sharded.shards.back(), parts[i]);
  }
  Searcher joined{sharded};
  auto before = joined.search(request_for("pont"));
  REQUIRE(before.ok());
  CHECK(before->total == 0);
  write_articles(sharded.shards.back(), parts[2]);  // the French articles
  const auto after = joined.search(request_for("pont"));
  REQUIRE(after.ok());
  CHECK(after->total == 2);
  REQUIRE(after->lang_facet.size() == 1);
  CHECK(after->lang_facet[0].count == 2);
}

TEST_CASE("work run at once on every shard runs once a shard, and a failure is rethrown after all are done") {
  std::vector<int> runs(4);
  search::at_once(runs.size(), [&runs](std::size_t i) { ++runs[i]; });
  CHECK(runs == std::vector<int>{1, 1, 1, 1});

  std::vector<int> finished(3);
  const auto failing = [&finished](std::size_t i) {
    if (i == 1) throw std::runtime_error("shard 1 failed");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // still running when 1 fails
    finished[i] = 1;
  };
  CHECK_THROWS_WITH_AS(search::at_once(finished.size(), failing), "shard 1 failed", std::runtime_error);
  CHECK(finished == std::vector<int>{1, 0, 1});
  search::at_once(0, [](std::size_t) { FAIL("no shard to run"); });
}

TEST_CASE("work run at once may run work at once in turn, and the threads are kept for the next") {
  // Each of 4 runs 4 more and waits for them: none may wait for a thread another holds.
  std::vector<std::vector<int>> runs(4, std::vector<int>(4));
  search::at_once(runs.size(), [&runs](std::size_t i) {
    search::at_once(runs[i].size(), [&runs, i](std::size_t j) { ++runs[i][j]; });
  });
  CHECK(runs == std::vector<std::vector<int>>(4, std::vector<int>{1, 1, 1, 1}));

  // One after another, the second pieces of work land on threads that waited for them: some
  // thread runs more than one (a thread started for each would run one).
  int most_on_one_thread = 0;
  for (int round = 0; round < 50; ++round) {
    search::at_once(2, [&most_on_one_thread](std::size_t i) {
      thread_local int ran_here = 0;
      if (i == 1) most_on_one_thread = std::max(most_on_one_thread, ++ran_here);
    });
  }
  CHECK(most_on_one_thread > 1);
}

TEST_CASE("each shard's own list of matches, its documents and its terms are those of the joined database") {
  TempDir dir;
  std::vector<Xapian::Database> shards;
  Xapian::Database joined;
  const auto parts = uneven_shards();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string path = (dir / ("shard" + std::to_string(i))).string();
    write_articles(path, parts[i]);
    shards.emplace_back(path);
    joined.add_database(shards.back());
  }
  const Xapian::Query query{Xapian::Query::OP_OR, Xapian::Query{"bridg"}, Xapian::Query{"pont"}};
  Xapian::Enquire enquire{joined};
  enquire.set_query(query);
  std::set<Xapian::docid> expected;
  for (const Xapian::docid did : enquire.get_mset(0, joined.get_doccount())) expected.insert(did);
  REQUIRE(expected.size() > 3);

  // The shard and its own docid give back the joined docid; each shard lists in docid order.
  std::set<Xapian::docid> listed;
  std::vector<search::ShardDocid> order;
  search::for_each_match(shards, query, false, [&](search::ShardDocid where, double weight) {
    CHECK(weight == 0);
    listed.insert(static_cast<Xapian::docid>((where.did - 1) * shards.size() + where.shard + 1));
    order.push_back(where);
  });
  CHECK(listed == expected);
  CHECK(std::is_sorted(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.shard != b.shard ? a.shard < b.shard : a.did < b.did;
  }));

  // Documents come back in the order asked, whichever shard holds each, read shard after shard
  // or every shard at once.
  const std::vector<Xapian::docid> asked(expected.rbegin(), expected.rend());
  for (const bool at_once : {false, true}) {
    CAPTURE(at_once);
    const std::vector<Xapian::Document> documents = search::documents_at(shards, at_once, asked);
    REQUIRE(documents.size() == asked.size());
    for (std::size_t i = 0; i < asked.size(); ++i) {
      CHECK(documents[i].get_data() == joined.get_document(asked[i]).get_data());
    }
  }

  // A term counts when any shard has it: "pont" only the last one.
  const std::vector<std::string> terms{"pont", "bridg", "nowhereword"};
  CHECK(search::terms_in_any(joined, terms) == std::vector<char>{1, 1, 0});
  CHECK(search::terms_in_any(joined, {}).empty());
}

TEST_CASE("a docid of shards joined names the shard and its own docid there, and back") {
  TempDir dir;
  // Shards of unequal sizes: Xapian interleaves their docids, leaving gaps past the smaller.
  std::vector<Xapian::Database> shards;
  Xapian::Database joined;
  for (const std::string& path : write_lantern_shards(dir, {3, 1, 5})) {
    shards.emplace_back(path);
    joined.add_database(shards.back());
  }
  std::size_t seen = 0;
  for (Xapian::PostingIterator it = joined.postlist_begin(""); it != joined.postlist_end(""); ++it) {
    const search::ShardDocid at = search::locate(*it, shards.size());
    CHECK(shards[at.shard].get_document(at.did).get_data() == joined.get_document(*it).get_data());
    CHECK(search::joined_docid(at, shards.size()) == *it);
    ++seen;
  }
  CHECK(seen == 9);
}

TEST_CASE("a shard's second connection shares the reading of its documents once free") {
  TempDir dir;
  // Two shards of many articles, and in place of second connections to them, databases of the
  // same documents whose data says which was read.
  std::vector<Xapian::Database> shards, seconds;
  Xapian::Database joined;
  for (const std::string& path : write_lantern_shards(dir, {200, 200})) {
    shards.emplace_back(path);
    joined.add_database(shards.back());
    const std::string second_path = path + "-second";
    Xapian::WritableDatabase second{second_path, Xapian::DB_CREATE};
    for (Xapian::docid did = 1; did <= shards.back().get_lastdocid(); ++did) {
      Xapian::Document doc = shards.back().get_document(did);
      doc.set_data("second " + doc.get_data());
      second.replace_document(did, doc);
    }
    second.commit();
    seconds.emplace_back(second_path);
  }
  std::vector<Xapian::docid> asked;
  for (Xapian::docid did = joined.get_lastdocid(); did >= 1; --did) asked.push_back(did);
  const auto read_by_seconds = [&](const std::vector<Xapian::Document>& documents) {
    REQUIRE(documents.size() == asked.size());
    std::size_t by_seconds = 0;
    for (std::size_t i = 0; i < asked.size(); ++i) {
      const std::string expected = joined.get_document(asked[i]).get_data();
      const std::string data = documents[i].get_data();
      CHECK((data == expected || data == "second " + expected));
      by_seconds += data != expected;
    }
    return by_seconds;
  };

  // Second connections that never come free: every document is read by the first ones, and
  // the seconds stop waiting once there is nothing left to read.
  search::FreeSignal never_set;
  CHECK(read_by_seconds(search::documents_at(shards, true, asked, {seconds, &never_set})) == 0);
  // Free, they read some; which ones depends on the threads, so a few tries are allowed.
  search::FreeSignal set;
  set.set();
  std::size_t by_seconds = 0;
  for (int tries = 0; tries < 20 && by_seconds == 0; ++tries) {
    by_seconds = read_by_seconds(search::documents_at(shards, true, asked, {seconds, &set}));
  }
  CHECK(by_seconds > 0);
  CHECK(by_seconds < asked.size());
}

TEST_CASE("a stub database file names the shards, relative to its folder") {
  TempDir dir;
  const auto parts = uneven_shards();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    write_articles((dir / ("shard" + std::to_string(i))).string(), parts[i]);
  }
  write_file(dir / "all.stub", "# every shard\nauto shard0\n\nglass " + (dir / "shard1").string() + "\nauto shard2\n");
  const Config config = config_for((dir / "all.stub").string());
  const auto paths = search::shard_paths(config);
  REQUIRE(paths.ok());
  CHECK(*paths == std::vector<std::string>{(dir / "shard0").string(), (dir / "shard1").string(),
                                           (dir / "shard2").string()});
  Searcher searcher{config};
  const auto response = searcher.search(request_for(""));
  REQUIRE(response.ok());
  CHECK(response->total == 15);
}

TEST_CASE("a stub database file lists remote shards as HOST:PORT and refuses other kinds by file and line") {
  TempDir dir;
  write_file(dir / "remote.stub", "auto shard0\nremote 10.0.0.2:33333\nremote [::1]:7000\n");
  const auto listed = search::shard_paths(config_for((dir / "remote.stub").string()));
  REQUIRE(listed.ok());
  CHECK(*listed == std::vector<std::string>{(dir / "shard0").string(), "10.0.0.2:33333", "[::1]:7000"});

  write_file(dir / "program.stub", "auto shard0\nremote :xapian-progsrv shard1\n");
  const auto paths = search::shard_paths(config_for((dir / "program.stub").string()));
  REQUIRE_FALSE(paths.ok());
  CHECK(paths.error().message == (dir / "program.stub").string() +
                                     ":2: expected \"auto PATH\", \"glass PATH\" (a local database) or \"remote "
                                     "HOST:PORT\" (an xapian-tcpsrv), got 'remote :xapian-progsrv shard1'");
  Searcher searcher{config_for((dir / "program.stub").string())};
  CHECK_FALSE(searcher.ready());
  CHECK(searcher.not_ready_reason().find(":2: expected") != std::string::npos);
}

TEST_CASE("a shard is remote when it is HOST:PORT") {
  const auto remote = remote_address("search-2.internal:33333");
  REQUIRE(remote);
  CHECK(remote->host == "search-2.internal");
  CHECK(remote->port == 33333);
  const auto ipv6 = remote_address("[::1]:7011");
  REQUIRE(ipv6);
  CHECK(ipv6->host == "::1");
  CHECK(ipv6->port == 7011);
  for (const std::string local : {"data/shard1", "/srv/a:1", "shard", ":33333", "host:", "host:0", "host:65536",
                                   "host:12ab", "C:"}) {
    CAPTURE(local);
    CHECK_FALSE(remote_address(local));
  }
}

TEST_CASE("a missing shard is named in why the index is not ready") {
  TempDir dir;
  Config sharded = config_for("unused");
  sharded.shards = {(dir / "present").string(), (dir / "missing").string()};
  write_articles(sharded.shards.front(), sample_articles());
  Searcher searcher{sharded};
  const auto response = searcher.search(request_for("bridge"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().status == 503);
  CHECK(response.error().message == "the search index is not ready: no database at " + sharded.shards.back() +
                                        " (a shard): run clippings-indexer first");
}

TEST_CASE("a shard that is down: 503 naming it, or with partial_results the others' answer naming it") {
  TempDir dir;
  Config sharded = config_for("unused");
  const auto parts = uneven_shards();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sharded.shards.push_back((dir / ("shard" + std::to_string(i))).string());
    write_articles(sharded.shards.back(), parts[i]);
  }
  const std::string down = sharded.shards[2];  // five articles, the French ones among them
  const std::string away = down + ".away";
  Searcher strict{sharded};
  sharded.server.partial_results = true;
  Searcher partial{sharded};
  const auto whole = partial.search(request_for(""));
  REQUIRE(whole.ok());
  CHECK(whole->total == 15);
  CHECK(whole->missing_shards.empty());

  std::filesystem::rename(down, away);
  const auto refused = strict.search(request_for(""));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().status == 503);
  CHECK(refused.error().message.find("no database at " + down + " (a shard)") != std::string::npos);
  const auto others = partial.search(request_for(""));
  REQUIRE(others.ok());
  CHECK(others->total == 10);
  CHECK(others->missing_shards == std::vector<std::string>{down});
  CHECK(partial.search(request_for("pont"))->total == 0);
  const auto article = partial.article("f01", "");
  REQUIRE_FALSE(article.ok());
  CHECK(article.error().status == 404);
  CHECK(article.error().message == "no article with id 'f01'; shards down, which may hold it: " + down);
  const auto stats = partial.stats();
  REQUIRE(stats.ok());
  CHECK(stats->articles == 10);
  REQUIRE(stats->shards.size() == 3);
  CHECK(stats->shards[2].articles == 0);
  CHECK(stats->shards[2].down.find("no database at " + down) != std::string::npos);
  CHECK(stats->shards[0].down.empty());

  // Back: searched again on the next request, by both.
  std::filesystem::rename(away, down);
  for (Searcher* searcher : {&strict, &partial}) {
    const auto back = searcher->search(request_for("pont"));
    REQUIRE(back.ok());
    CHECK(back->total == 2);
    CHECK(back->missing_shards.empty());
  }
}

TEST_CASE("with every shard down, nothing can be searched and each is named") {
  TempDir dir;
  Config sharded = config_for("unused");
  sharded.server.partial_results = true;
  sharded.shards = {(dir / "a").string(), (dir / "b").string()};
  Searcher searcher{sharded};
  const auto response = searcher.search(request_for(""));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().status == 503);
  CHECK(response.error().message == "the search index is not ready: no shard can be searched: no database at " +
                                        sharded.shards[0] + " (a shard): run clippings-indexer first; no database at " +
                                        sharded.shards[1] + " (a shard): run clippings-indexer first");
}

TEST_CASE("a spelling dictionary that is missing is named in why the index is not ready") {
  TempDir dir;
  Config config = config_for((dir / "articles").string());
  write_articles(config.database, sample_articles());
  config.spelling = {(dir / "spelling").string()};
  Searcher searcher{config};
  const auto response = searcher.search(request_for("bridge"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().status == 503);
  CHECK(response.error().message == "the search index is not ready: no database at " + config.spelling.front() +
                                        " (a spelling dictionary): run clippings-indexer first");
}
