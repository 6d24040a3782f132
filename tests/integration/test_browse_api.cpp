/// @file test_browse_api.cpp
/// The order of an empty query, through real HTTP against an in-process server over
/// tests/data/outlets (built by the real indexer).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "params.h"
#include "server_fixture.h"

namespace clippings::test {
namespace {

using nlohmann::json;

/// One database of the outlet fixtures and one server per test process, built on first use.
struct OutletServer {
  TempDir dir;
  std::unique_ptr<InProcessServer> server;
  OutletServer() {
    const auto indexed = run_indexer(
        dir / "db", (std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "outlets" / "articles.jsonl").string());
    REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
    write_web_root(dir / "web", dir / "outside");
    server = std::make_unique<InProcessServer>(test_config(dir / "db", dir / "web"));
  }
};

json search(const std::string& query, int status = 200) {
  static OutletServer shared;
  auto res = raw_get(shared.server->port(), "/api/search?" + query);
  REQUIRE(res);
  CAPTURE(query);
  CAPTURE(res->body);
  CHECK(res->status == status);
  return json_of(res);
}

std::vector<std::string> ids_of(const json& body) {
  std::vector<std::string> ids;
  for (const auto& hit : body["hits"]) ids.push_back(hit["id"]);
  return ids;
}

}  // namespace

TEST_CASE("an empty query lists the newest first under the relevance sort") {
  for (const std::string query : {"size=100", "q=&size=100", "q=*&size=100", "outlet=Le%20T%C3%A9l%C3%A9gramme&size=100"}) {
    CAPTURE(query);
    const json body = search(query);
    CHECK(body["sort"] == "newest");
    CHECK(ids_of(search(query + "&sort=relevance")) == ids_of(body));
    CHECK(ids_of(body) == ids_of(search(query + "&sort=newest")));
    REQUIRE(!body["hits"].empty());
    // Dates descending, the undated after them.
    std::string previous = "9999-12-31";
    bool undated_seen = false;
    for (const auto& hit : body["hits"]) {
      if (hit["date"].is_null()) {
        undated_seen = true;
        continue;
      }
      CHECK_FALSE(undated_seen);
      CHECK(hit["date"].get<std::string>() <= previous);
      previous = hit["date"];
    }
  }
  const json everything = search("size=100");
  CHECK(everything["hits"].front()["id"] == "ol-malta-2");  // 2023-09-09
  CHECK(everything["hits"].back()["id"] == "ol-valley-1");
  // A query with words is ranked, and says so.
  CHECK(search("q=ferry")["sort"] == "relevance");
  CHECK(search("sort=oldest")["sort"] == "oldest");
}

}  // namespace clippings::test
