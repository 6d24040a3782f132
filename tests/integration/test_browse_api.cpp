/// @file test_browse_api.cpp
/// The outlet facet's facet_query and facet_size=all, and the order of an empty query, through
/// real HTTP against an in-process server over tests/data/outlets (built by the real indexer).
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

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

int port() {
  static OutletServer shared;
  return shared.server->port();
}

json search(const std::string& query, int status = 200) {
  auto res = raw_get(port(), "/api/search?" + query);
  REQUIRE(res);
  CAPTURE(query);
  CAPTURE(res->body);
  CHECK(res->status == status);
  return json_of(res);
}

struct Listed {
  std::string value;
  int count;
  bool selected;
  bool operator==(const Listed&) const = default;
};

std::vector<Listed> listed(const json& body) {
  std::vector<Listed> outlets;
  for (const auto& o : body["facets"]["outlet"]) outlets.push_back({o["value"], o["count"], o["selected"]});
  return outlets;
}

std::map<std::string, int> counts_of(const json& body) {
  std::map<std::string, int> counts;
  for (const auto& o : body["facets"]["outlet"]) counts[o["value"]] = o["count"];
  return counts;
}

std::vector<std::string> ids_of(const json& body) {
  std::vector<std::string> ids;
  for (const auto& hit : body["hits"]) ids.push_back(hit["id"]);
  return ids;
}

/// The ids of a JSON Lines export, in its order.
std::vector<std::string> exported_ids(const std::string& query) {
  auto res = raw_get(port(), "/api/search.jsonl?" + query);
  REQUIRE(res);
  CAPTURE(query);
  REQUIRE(res->status == 200);
  std::vector<std::string> ids;
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);) ids.push_back(json::parse(line)["id"]);
  return ids;
}

const std::string kTele = "Le Télégramme";

}  // namespace

TEST_CASE("facet_query lists outlets with a word starting with it, case and accents aside") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"tele", {kTele}},
      {"TELE", {kTele}},
      {"t%C3%A9l%C3%A9", {kTele}},  // télé
      {"T%C3%89L%C3%89GRAMME", {kTele}},  // TÉLÉGRAMME
      {"mos", {"The Moscow Times", "Moscow Herald"}},
      {"times", {"The Moscow Times", "Times of Malta"}},
      {"times%20ma", {"Times of Malta"}},
      {"ost", {"Østlandets Blad"}},
      {"%C3%98ST", {"Østlandets Blad"}},  // ØST
      {"sudd", {"Süddeutsche Zeitung"}},
      {"egramme", {}},  // inside a word
      {"zzz", {}},
  };
  const json everything = search("q=brindlewood&facet_size=all");
  const auto all_counts = counts_of(everything);
  REQUIRE(all_counts.size() == 7);
  for (const auto& [text, outlets] : cases) {
    CAPTURE(text);
    const json body = search("q=brindlewood&facet_query=" + text);
    std::vector<std::string> values;
    for (const auto& [value, count, selected] : listed(body)) {
      values.push_back(value);
      CHECK(count == all_counts.at(value));  // the count of the facet without facet_query
      CHECK_FALSE(selected);
    }
    CHECK(values == outlets);
    CHECK(body["facets"]["outlet_total"] == outlets.size());
    // The prefix picks outlets to list; the results are those of the search.
    CHECK(body["total"] == everything["total"]);
  }
  CHECK(all_counts.at(kTele) == 4);  // both spellings
}

TEST_CASE("facet_query counts for the current query and the other filters") {
  const json unfiltered = search("q=ferry&from=2022&to=2023&outlet=Valley%20Courier&facet_size=all");
  const json body = search("q=ferry&from=2022&to=2023&outlet=Valley%20Courier&facet_query=t");
  // Selected outlets stay listed whatever the prefix; the others are counted as without it.
  // One ferry article of each spelling: the tie goes to the first name in byte order.
  const std::string tele = "LE TÉLÉGRAMME";
  CHECK(listed(body) == std::vector<Listed>{{"Valley Courier", 0, true},
                                            {tele, 2, false},
                                            {"Times of Malta", 1, false}});
  const auto counts = counts_of(unfiltered);
  CHECK(counts.at(tele) == 2);
  CHECK(counts.at("Times of Malta") == 1);
  CHECK(body["facets"]["outlet_total"] == 3);
  CHECK(body["total"] == unfiltered["total"]);
}

TEST_CASE("facet_size bounds the list, outlet_total says how many there are, all lists them all") {
  json body = search("facet_size=1&facet_query=mos");
  CHECK(listed(body) == std::vector<Listed>{{"The Moscow Times", 2, false}});
  CHECK(body["facets"]["outlet_total"] == 2);
  body = search("facet_size=2");
  CHECK(body["facets"]["outlet"].size() == 2);
  CHECK(body["facets"]["outlet_total"] == 7);
  body = search("facet_size=all");
  CHECK(body["facets"]["outlet"].size() == 7);
  CHECK(body["facets"]["outlet_total"] == 7);

  for (const std::string bad : {"facet_size=0", "facet_size=ALL", "facet_size=1001", "facet_size=all&facet_size=5",
                                "facet_query=a&facet_query=b", "facet_query=%FF"}) {
    CAPTURE(bad);
    const json error = search(bad, 400)["error"];
    CHECK(error["param"] == bad.substr(0, bad.find('=')));
  }
}

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

TEST_CASE("the exports of an empty query list it in the order of the page") {
  for (const std::string query : {"q=", "outlet=Le%20T%C3%A9l%C3%A9gramme"}) {
    CHECK(exported_ids(query) == ids_of(search(query + "&size=100")));
    CHECK(exported_ids(query + "&sort=oldest") == ids_of(search(query + "&size=100&sort=oldest")));
  }
  // The indexing order is not a date order: the page lists it as the exports do.
  const json indexed = search("size=100&sort=indexed");
  CHECK(indexed["sort"] == "indexed");
  CHECK(ids_of(indexed) == exported_ids("sort=indexed"));
  CHECK(ids_of(indexed) != ids_of(search("size=100&sort=oldest")));
}

}  // namespace clippings::test
