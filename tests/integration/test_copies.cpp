/// @file test_copies.cpp
/// Copies of one article in several outlets, through real HTTP against an in-process server
/// over tests/data/copies (built by the real indexer): one hit per story with its copies,
/// collapse=false, the copies endpoint, the CSV columns, the Atom feed, and a copy indexed while
/// the server runs.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "server_fixture.h"

namespace clippings::test {
namespace {

using nlohmann::json;

const std::filesystem::path kData = std::filesystem::path{CLIPPINGS_TEST_DATA_DIR} / "copies";

/// A database of tests/data/copies/articles.jsonl and a server over it.
struct CopiesServer {
  TempDir dir;
  std::unique_ptr<InProcessServer> server;
  CopiesServer() {
    const auto indexed = run_indexer(dir / "db", (kData / "articles.jsonl").string());
    REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
    write_web_root(dir / "web", dir / "outside");
    server = std::make_unique<InProcessServer>(test_config(dir / "db", dir / "web"));
  }
  json get(const std::string& target, int status = 200) { return get_json_at(server->port(), target, status); }
};

/// The hit with `id`, or null.
json hit_of(const json& body, const std::string& id) {
  for (const auto& hit : body["hits"]) {
    if (hit["id"] == id) return hit;
  }
  return nullptr;
}

std::vector<std::string> outlets_of(const json& items) {
  std::vector<std::string> outlets;
  for (const auto& item : items) outlets.push_back(item["outlet"]);
  return outlets;
}

}  // namespace

TEST_CASE("copies in three outlets are one hit with its count, outlets and first source") {
  CopiesServer s;
  const json body = s.get("/api/search?q=marrowby+tram+depot");
  CHECK(body["collapsed"] == true);
  CHECK(body["total"] == 2);  // the story and the article written separately
  CHECK(body["total_articles"] == 4);
  REQUIRE(body["hits"].size() == 2);
  json story = nullptr, separate = hit_of(body, "tram-separate");
  for (const auto& hit : body["hits"]) {
    if (hit["id"] != "tram-separate") story = hit;
  }
  REQUIRE(story.is_object());
  REQUIRE(separate.is_object());
  CHECK_FALSE(separate.contains("copies"));
  const json& copies = story["copies"];
  CHECK(copies["count"] == 3);
  CHECK(copies["first"]["id"] == "tram-original");
  CHECK(copies["first"]["outlet"] == "Marrowby Evening Lamp");
  CHECK(copies["first"]["date"] == "2025-03-04");
  CHECK(outlets_of(copies["items"]) ==
        std::vector<std::string>{"Marrowby Evening Lamp", "Portal Newsroom", "Quick Reads Daily"});
  CHECK(copies["items"][1]["url"] == "https://portalnews.example/uk/tram-blaze");
  // The outlet facet counts articles: every outlet that ran a copy.
  std::map<std::string, int> outlets;
  for (const auto& o : body["facets"]["outlet"]) outlets[o["value"]] = o["count"];
  CHECK(outlets == std::map<std::string, int>{{"Canal Side Courier", 1}, {"Marrowby Evening Lamp", 1},
                                              {"Portal Newsroom", 1}, {"Quick Reads Daily", 1}});
}

TEST_CASE("collapse=false lists every copy") {
  CopiesServer s;
  const json body = s.get("/api/search?q=marrowby+tram+depot&collapse=false");
  CHECK(body["collapsed"] == false);
  CHECK(body["total"] == 4);
  CHECK(body["total_articles"] == 4);
  CHECK(body["hits"].size() == 4);
  CHECK(hit_of(body, "tram-copy-farm")["copies"]["count"] == 3);
  const json bad = s.get("/api/search?q=tram&collapse=maybe", 400);
  CHECK(bad["error"]["param"] == "collapse");
}

TEST_CASE("an empty query lists stories newest first") {
  CopiesServer s;
  const json body = s.get("/api/search");
  CHECK(body["total"] == 2);
  CHECK(body["total_articles"] == 4);
  REQUIRE(body["hits"].size() == 2);
  // The newest copy stands for the story in a date order.
  CHECK(body["hits"][0]["id"] == "tram-copy-farm");
  CHECK(body["hits"][1]["id"] == "tram-separate");
}

TEST_CASE("the timeline splits the date facet by outlet and adds up to the total") {
  CopiesServer s;
  const json body = s.get("/api/search?q=marrowby+tram+depot&facets=timeline&interval=day");
  const json& timeline = body["facets"]["timeline"];
  CHECK(timeline["interval"] == "day");
  CHECK(timeline["outlets"].size() == 4);
  long sum = timeline["undated"].get<long>();
  const json& buckets = body["facets"]["date"]["buckets"];
  REQUIRE(timeline["buckets"].size() == buckets.size());
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    long in_bucket = timeline["buckets"][i]["other"].get<long>();
    for (const auto& count : timeline["buckets"][i]["counts"]) in_bucket += count.get<long>();
    CHECK(in_bucket == buckets[i]["count"].get<long>());
    sum += in_bucket;
  }
  CHECK(sum == body["total_articles"].get<long>());
  // The first day's bucket names the first outlet.
  const auto lamp = std::find(timeline["outlets"].begin(), timeline["outlets"].end(), "Marrowby Evening Lamp");
  REQUIRE(lamp != timeline["outlets"].end());
  CHECK(timeline["buckets"][0]["key"] == "2025-03-04");
  CHECK(timeline["buckets"][0]["counts"][lamp - timeline["outlets"].begin()] == 1);
  CHECK_FALSE(s.get("/api/search?q=marrowby")["facets"].contains("timeline"));
  CHECK(s.get("/api/search?q=tram&facets=timeline,cloud", 400)["error"]["param"] == "facets");
}

TEST_CASE("the copies endpoint lists every other copy with the text it shares") {
  CopiesServer s;
  const json body = s.get("/api/articles/tram-copy-farm/copies");
  CHECK(body["id"] == "tram-copy-farm");
  CHECK(body["count"] == 3);
  CHECK(body["first"]["outlet"] == "Marrowby Evening Lamp");
  REQUIRE(body["items"].size() == 2);
  CHECK(outlets_of(body["items"]) == std::vector<std::string>{"Marrowby Evening Lamp", "Portal Newsroom"});
  for (const auto& item : body["items"]) {
    CHECK(item["shared"].get<double>() > 0.5);
    CHECK(item["shared"].get<double>() <= 1.0);
  }
  const json alone = s.get("/api/articles/tram-separate/copies");
  CHECK(alone["count"] == 1);
  CHECK(alone["group"].is_null());
  CHECK(alone["items"].empty());
  CHECK(s.get("/api/articles/no-such-article/copies", 404)["error"]["code"] == "not_found");
}

TEST_CASE("the CSV export gives each row its group and copy count") {
  CopiesServer s;
  auto res = raw_get(s.server->port(), "/api/search.csv?q=marrowby+tram+depot&collapse=false&sort=oldest");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  std::vector<std::string> lines;
  std::string body = res->body;
  for (std::size_t at = 0; at < body.size();) {
    const std::size_t end = body.find("\r\n", at);
    REQUIRE(end != std::string::npos);
    lines.push_back(body.substr(at, end - at));
    at = end + 2;
  }
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].ends_with(",group,copies"));
  CHECK(lines[1].starts_with("tram-original,"));
  CHECK(lines[1].ends_with(",tram-copy-farm,3"));  // the group is named by its smallest id
  CHECK(lines[4].ends_with(",tram-copy-farm,3"));
  bool separate = false;
  for (const auto& line : lines) separate = separate || line.ends_with(",tram-separate,1");
  CHECK(separate);
}

TEST_CASE("the Atom feed sends one entry per story, every copy with collapse=false") {
  CopiesServer s;
  const auto entries = [&](const std::string& target) {
    auto res = raw_get(s.server->port(), target);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    int count = 0;
    for (auto at = res->body.find("<entry>"); at != std::string::npos; at = res->body.find("<entry>", at + 1)) ++count;
    return count;
  };
  CHECK(entries("/api/search.atom?q=marrowby+tram+depot") == 2);
  CHECK(entries("/api/search.atom?q=marrowby+tram+depot&collapse=false") == 4);
}

TEST_CASE("a copy indexed while the server runs joins its group and may be the first") {
  CopiesServer s;
  CHECK(s.get("/api/search?q=marrowby+tram+depot")["total"] == 2);
  const auto indexed = run_indexer(s.dir / "db", (kData / "later.jsonl").string());
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  const json body = s.get("/api/search?q=marrowby+tram+depot");
  CHECK(body["total"] == 2);
  CHECK(body["total_articles"] == 5);
  json story = nullptr;
  for (const auto& hit : body["hits"]) {
    if (hit.contains("copies")) story = hit;
  }
  REQUIRE(story.is_object());
  CHECK(story["copies"]["count"] == 4);
  CHECK(story["copies"]["first"]["outlet"] == "Harbour Gazette");
  CHECK(story["copies"]["first"]["date"] == "2025-03-03");
  CHECK(s.get("/api/articles/tram-separate/copies")["count"] == 1);
}

TEST_CASE("the first copy indexed while the server runs makes its searches collapse") {
  TempDir dir;
  // The articles but the two copies of the original, then the copies.
  std::ifstream all{kData / "articles.jsonl"};
  std::ofstream alone{dir / "alone.jsonl"}, copies{dir / "copies.jsonl"};
  std::string line;
  for (int i = 0; i < 10 && std::getline(all, line); ++i) {
    (line.find("\"tram-copy-") != std::string::npos ? copies : alone) << line << '\n';
  }
  alone.close();
  copies.close();
  auto indexed = run_indexer(dir / "db", (dir / "alone.jsonl").string());
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  write_web_root(dir / "web", dir / "outside");
  InProcessServer server{test_config(dir / "db", dir / "web")};
  const json before = get_json_at(server.port(), "/api/search?q=marrowby+tram+depot");
  CHECK(before["collapsed"] == false);
  CHECK(before["total"] == 2);

  indexed = run_indexer(dir / "db", (dir / "copies.jsonl").string());
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  const json after = get_json_at(server.port(), "/api/search?q=marrowby+tram+depot");
  CHECK(after["collapsed"] == true);
  CHECK(after["total"] == 2);
  CHECK(after["total_articles"] == 4);
}

}  // namespace clippings::test
