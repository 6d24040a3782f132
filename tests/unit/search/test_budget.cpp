/// @file test_budget.cpp
/// What a query may cost: its terms counted with every wildcard's expansions, and the bound on
/// searches running at once.
#include <chrono>
#include <thread>

#include <doctest/doctest.h>

#include <xapian.h>

#include "fixture.h"
#include "search/budget.h"

using namespace clippings;
using namespace clippings::test;

TEST_CASE("query terms are counted once each, with what each wildcard expands to") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    Xapian::Document doc;
    for (const char* term : {"port", "porter", "portal", "portly", "harbour", "Sport"}) doc.add_term(term);
    db.add_document(doc);
    db.commit();
  }
  const Xapian::Database db(path);
  using Q = Xapian::Query;
  const Q port_star(Q::OP_WILDCARD, "port");
  struct Row {
    const char* name;
    Q query;
    std::size_t per_wildcard, expected;
  };
  const Row rows[] = {
      {"one term", Q("harbour"), 100, 1},
      {"terms", Q(Q::OP_AND, Q("harbour"), Q("port")), 100, 2},
      {"a wildcard: its expansions (not the prefixed Sport)", port_star, 100, 4},
      {"capped per wildcard", port_star, 2, 2},
      // A word parsed once per language of the index appears in every parse: it is read once.
      {"a repeated term counts once", Q(Q::OP_OR, Q("harbour"), Q(Q::OP_AND, Q("harbour"), Q("port"))), 100, 2},
      {"a repeated wildcard counts once, distinct ones each",
       Q(Q::OP_OR, port_star, Q(Q::OP_OR, port_star, Q(Q::OP_WILDCARD, "harb"))), 100, 5},
      {"a wildcard matching nothing", Q(Q::OP_WILDCARD, "zz"), 100, 0},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    CHECK(search::count_query_terms(db, row.query, row.per_wildcard, 1000) == row.expected);
  }
  // Counting stops past the limit: after "p*", "po*" and "por*" (4 terms each) here.
  std::vector<Q> many;
  for (const char* prefix : {"p", "po", "por", "port", "porta", "portl"}) many.emplace_back(Q::OP_WILDCARD, prefix);
  const auto counted = search::count_query_terms(db, Q(Q::OP_OR, many.begin(), many.end()), 100, 10);
  CHECK(counted > 10);
  CHECK(counted <= 14);
}

TEST_CASE("over shards, each wildcard is expanded once, to the most frequent words of all where it starts too many") {
  // "portal" is in both shards' three documents, "porter" in the first's two, "portly" in the
  // second's one: each shard alone would keep another word.
  TempDir dir;
  const std::vector<std::vector<std::vector<const char*>>> shards = {
      {{"portal", "porter"}, {"portal", "porter"}, {"harbour"}},
      {{"portal", "portly"}, {"harbour"}}};
  Xapian::Database all;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string path = (dir / ("shard" + std::to_string(i))).string();
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    for (const auto& terms : shards[i]) {
      Xapian::Document doc;
      for (const char* term : terms) doc.add_term(term);
      db.add_document(doc);
    }
    db.commit();
    all.add_database(Xapian::Database(path));
  }
  using Q = Xapian::Query;
  const Q query(Q::OP_AND_NOT, Q(Q::OP_WILDCARD, "port"), Q(Q::OP_WILDCARD, "harb"));
  search::KeptWords kept;
  CHECK(search::count_query_terms(all, query, 2, 1000, &kept) == 3);
  // "harb*" starts one word, in one shard: the other is given it too, so that both weigh the
  // wildcard by the same words.
  REQUIRE(kept.size() == 2);
  CHECK(kept["port"] == std::vector<std::string>{"portal", "porter"});
  CHECK(kept["harb"] == std::vector<std::string>{"harbour"});
  const Q expanded = search::expand_wildcards(query, kept);
  CHECK(expanded.get_description() == "Query(((portal SYNONYM porter) AND_NOT harbour))");
  kept.clear();
  CHECK(search::count_query_terms(all, query, 1, 1000, &kept) == 2);
  CHECK(kept["port"] == std::vector<std::string>{"portal"});
}

TEST_CASE("a query over the term budget is a 400 query_too_complex, within it, it runs") {
  SampleIndex index;
  Config config = config_for(index.path);
  config.server.max_query_terms = 3;
  Searcher searcher{config};
  auto over = searcher.search(request_for("b* OR h* OR l*"));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().status == 400);
  CHECK(over.error().code == "query_too_complex");
  CHECK(over.error().param == "q");
  CHECK(searcher.search(request_for("bridge harbour")).ok());
}

TEST_CASE("a concurrency limit admits up to its bound and says how many wait") {
  search::ConcurrencyLimit limit{2};
  auto a = limit.try_acquire();
  auto b = limit.try_acquire();
  REQUIRE((a && b));
  CHECK_FALSE(limit.try_acquire());
  CHECK(limit.running() == 2);
  // No room to wait: refused at once.
  CHECK_FALSE(limit.acquire(std::chrono::seconds{30}, 0));
  // A waiter gets the place a finished one gives back.
  std::thread finisher{[&] {
    for (int i = 0; i < 1000 && limit.waiting() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    a.reset();
  }};
  auto c = limit.acquire(std::chrono::seconds{30}, 1);
  finisher.join();
  CHECK(c.has_value());
  CHECK(limit.running() == 2);
  b.reset();
  c.reset();
  CHECK(limit.running() == 0);
}

TEST_CASE("a search cut short by the match time limit says so") {
  SampleIndex index;
  Config config = config_for(index.path);
  config.server.match_time_limit_ms = 0.001;  // over before the first match is counted
  Searcher limited{config};
  auto cut = limited.search(request_for(""));
  REQUIRE(cut.ok());
  CHECK(cut->timed_out);
  CHECK_FALSE(cut->total_exact);
  CHECK(cut->total < 13);
  auto also = limited.search(request_for("bridge OR harbour"));
  REQUIRE(also.ok());
  CHECK(also->timed_out);
  // Without facets the ranked pass counts the total: cut short, it still gives the page.
  SearchRequest page_only = request_for("the OR bridge");
  page_only.facets = false;
  page_only.size = 2;
  auto ranked = limited.search(page_only);
  REQUIRE(ranked.ok());
  CHECK(ranked->timed_out);
  CHECK_FALSE(ranked->total_exact);
  CHECK(ranked->hits.size() == 2);

  Searcher unlimited{config_for(index.path)};
  auto whole = unlimited.search(request_for(""));
  REQUIRE(whole.ok());
  CHECK_FALSE(whole->timed_out);
  CHECK(whole->total_exact);
  CHECK(whole->total == 13);
}
