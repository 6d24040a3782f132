/// @file test_server_api.cpp
/// Every endpoint through real HTTP against an in-process server, over a database built by the
/// real indexer from the test corpus, the samples and tests/data/server (whose counts are exact).
#include <doctest/doctest.h>

#include <libxml/parser.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "params.h"
#include "schema.h"
#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// One database and one server per test process, built on first use.
struct Shared {
  TempDir dir;
  std::unique_ptr<InProcessServer> server;
  Shared() {
    build_test_database(dir / "db");
    write_web_root(dir / "web", dir / "outside");
    Config config = test_config(dir / "db", dir / "web");
    config.server.cors_origins = {"https://allowed.example"};
    config.server.max_query_bytes = 512;
    config.server.max_request_bytes = 4096;
    server = std::make_unique<InProcessServer>(config);
  }
};

int port() {
  static Shared shared;
  return shared.server->port();
}

json get_json(const std::string& target, int status = 200) {
  return get_json_at(port(), target, status);
}

/// The error object of a request expected to fail.
json get_error(const std::string& target, int status) {
  const json body = get_json(target, status);
  REQUIRE(body.contains("error"));
  CHECK(body["error"]["status"] == status);
  return body["error"];
}

std::vector<std::string> ids_of(const json& hits) {
  std::vector<std::string> ids;
  for (const auto& hit : hits) ids.push_back(hit["id"]);
  return ids;
}

std::map<std::string, int> outlet_counts(const json& body) {
  std::map<std::string, int> counts;
  for (const auto& o : body["facets"]["outlet"]) counts[o["value"]] = o["count"];
  return counts;
}

const std::string kHarbourId = "https://gazette-alpha.example/2021/03/quillon-harbour";

}  // namespace

TEST_CASE("search: response shape and exact counts") {
  const json body = get_json("/api/search?q=quillon");
  for (const char* key : {"query", "total", "total_exact", "took_ms", "page", "size", "hits",
                          "facets", "suggestion"}) {
    CHECK(body.contains(key));
  }
  CHECK(body["query"] == "quillon");
  CHECK(body["total"] == 6);
  CHECK(body["total_exact"] == true);
  CHECK(body["page"] == 1);
  CHECK(body["size"] == 10);
  CHECK(body["hits"].size() == 6);
  CHECK(body["took_ms"].is_number());
  for (const auto& hit : body["hits"]) {
    for (const char* key : {"id", "title", "title_html", "outlet", "date", "url", "author",
                            "score", "snippet_html"}) {
      CHECK(hit.contains(key));
    }
  }
  const auto gamma = std::find_if(body["hits"].begin(), body["hits"].end(),
                                  [](const json& h) { return h["id"] == "fx-gamma-1"; });
  REQUIRE(gamma != body["hits"].end());
  CHECK((*gamma)["date"].is_null());
  CHECK((*gamma)["url"].is_null());
  CHECK((*gamma)["author"].is_null());
  CHECK(outlet_counts(body) ==
        std::map<std::string, int>{{"Beta Courier", 2}, {"Gamma Post", 1}, {"Gazette Alpha", 3}});
}

TEST_CASE("search: stemmed matches are highlighted") {
  const json body = get_json("/api/search?q=meeting%20quillon");
  REQUIRE(body["total"].get<int>() >= 1);
  CHECK(body["hits"][0]["id"] == kHarbourId);
  const std::string snippet = body["hits"][0]["snippet_html"];
  CHECK(snippet.find("<mark>meets</mark>") != std::string::npos);
}

TEST_CASE("search: markup in articles is escaped") {
  const json body = get_json("/api/search?q=quillon%20markup");
  const auto hit = std::find_if(body["hits"].begin(), body["hits"].end(),
                                [](const json& h) { return h["id"] == "fx-beta-2"; });
  REQUIRE(hit != body["hits"].end());
  for (const char* field : {"title_html", "snippet_html"}) {
    const std::string html = (*hit)[field];
    CAPTURE(html);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;") != std::string::npos);
  }
  CHECK((*hit)["title"].get<std::string>().find("<script>") != std::string::npos);
  // Whatever the samples contain, no hit carries a live tag other than <mark>.
  const json all = get_json("/api/search?q=script&size=100");
  for (const auto& h : all["hits"]) {
    for (const char* field : {"title_html", "snippet_html"}) {
      std::string html = h[field];
      html = std::regex_replace(html, std::regex{"</?mark>"}, "");
      CHECK(html.find('<') == std::string::npos);
    }
  }
}

TEST_CASE("search: outlet filters, single and multi-select") {
  const json one = get_json("/api/search?q=quillon&outlet=Gazette%20Alpha");
  CHECK(one["total"] == 3);
  std::set<std::string> outlets;
  for (const auto& hit : one["hits"]) outlets.insert(hit["outlet"]);
  CHECK(outlets == std::set<std::string>{"Gazette Alpha"});
  // Multi-select facets: the other outlets keep the counts that selecting them would add.
  CHECK(outlet_counts(one) ==
        std::map<std::string, int>{{"Beta Courier", 2}, {"Gamma Post", 1}, {"Gazette Alpha", 3}});
  const json two = get_json("/api/search?q=quillon&outlet=Gazette%20Alpha&outlet=beta%20courier");
  CHECK(two["total"] == 5);
  int selected = 0;
  for (const auto& o : two["facets"]["outlet"]) {
    if (o["selected"] == true) {
      ++selected;
      CHECK((o["value"] == "Gazette Alpha" || o["value"] == "Beta Courier"));
    }
  }
  CHECK(selected == 2);
  // The selected outlets keep their own counts.
  const auto counts = outlet_counts(two);
  CHECK(counts.at("Gazette Alpha") == 3);
  CHECK(counts.at("Beta Courier") == 2);
  const json none = get_json("/api/search?q=quillon&outlet=Nonexistent%20Outlet");
  CHECK(none["total"] == 0);
  CHECK(none["hits"].empty());
}

TEST_CASE("search: a misspelt query that finds nothing is answered corrected, or not") {
  const json body = get_json("/api/search?q=quilon");
  CHECK(body["query"] == "quillon");
  CHECK(body["corrected_from"] == "quilon");
  CHECK(body["total"] == 6);
  CHECK(body["suggestion"].is_null());
  const json original = get_json("/api/search?q=quilon&correct=false");
  CHECK(original["query"] == "quilon");
  CHECK_FALSE(original.contains("corrected_from"));
  CHECK(original["total"] == 0);
  CHECK(original["suggestion"] == "quillon");
  const json right = get_json("/api/search?q=quillon");
  CHECK(right["suggestion"].is_null());
  CHECK_FALSE(right.contains("corrected_from"));
  CHECK(right["matched"] == "all");
  CHECK_FALSE(right.contains("dropped"));
  CHECK_FALSE(right.contains("notes"));
}

TEST_CASE("search: a plain query missing a word returns most-word matches, and says so") {
  // Every fixture has "quillon"; none has "zarquon".
  const json body = get_json("/api/search?q=quillon%20zarquon");
  CHECK(body["matched"] == "partial");
  CHECK(body["dropped"] == json::array({"zarquon"}));
  CHECK(body["total"] == 6);
  CHECK(body["hits"].size() == 6);
  int counted = 0;
  for (const auto& [outlet, count] : outlet_counts(body)) counted += count;
  CHECK(counted == 6);
  // Explicit syntax stays strict.
  for (const char* q : {"quillon%20AND%20zarquon", "quillon%20%2Bzarquon", "%22quillon%20zarquon%22"}) {
    CAPTURE(q);
    const json strict = get_json(std::string{"/api/search?q="} + q);
    CHECK(strict["total"] == 0);
    CHECK(strict["matched"] == "all");
  }
}

TEST_CASE("search: query errors carry a position, open quotes and brackets a note") {
  const json error = get_error("/api/search?q=quillon%20AND", 400);
  CHECK(error["code"] == "invalid_query");
  CHECK(error["param"] == "q");
  CHECK(error["message"] == "AND needs a word on both sides");
  CHECK(error["position"] == 8);
  CHECK(get_error("/api/search?q=title%3A", 400)["message"] == "title: needs a word after it");
  CHECK_FALSE(get_error("/api/search?sort=best", 400).contains("position"));
  const json body = get_json("/api/search?q=%28quillon");
  CHECK(body["total"] == 6);
  REQUIRE(body["notes"].size() == 1);
  CHECK(body["notes"][0]["code"] == "unclosed_bracket");
  CHECK(body["notes"][0]["position"] == 0);
  CHECK(body["notes"][0]["message"].is_string());
}

TEST_CASE("search: date facet buckets and the undated count") {
  const json month = get_json("/api/search?q=quillon&interval=month");
  CHECK(month["facets"]["date"]["interval"] == "month");
  CHECK(month["facets"]["date"]["undated"] == 1);
  std::map<std::string, int> buckets;
  for (const auto& b : month["facets"]["date"]["buckets"]) {
    if (b["count"] > 0) buckets[b["key"]] = b["count"];
    if (b["key"] == "2021-03") {
      CHECK(b["from"] == "2021-03-01");
      CHECK(b["to"] == "2021-03-31");
    }
  }
  CHECK(buckets == std::map<std::string, int>{
                       {"2021-03", 2}, {"2021-07", 1}, {"2022-01", 1}, {"2022-02", 1}});
  const json year = get_json("/api/search?q=quillon&interval=year");
  std::map<std::string, int> years;
  for (const auto& b : year["facets"]["date"]["buckets"]) years[b["key"]] = b["count"];
  CHECK(years == std::map<std::string, int>{{"2021", 3}, {"2022", 2}});
  // The test corpus: the puffin count has no date anywhere, the lighthouse story a dateline.
  const json corpus = get_json("/api/search?q=brannock&outlet=islandwire.example&interval=month");
  CHECK(corpus["total"] == 2);
  CHECK(corpus["facets"]["date"]["undated"] == 1);
  CHECK(corpus["facets"]["date"]["buckets"] ==
        json::parse(R"([{"key": "2023-05", "from": "2023-05-01", "to": "2023-05-31", "count": 1}])"));
}

TEST_CASE("search: date ranges are inclusive at every precision") {
  struct Row {
    std::string query;
    int total;
  };
  for (const auto& row : std::vector<Row>{{"from=2021-03&to=2021-03", 2},
                                          {"from=2021-03-04&to=2021-03-04", 1},
                                          {"from=2022", 2},
                                          {"to=2021", 3},
                                          {"from=2022-02-01", 1},
                                          {"from=2021-03-05&to=2022-01-15", 3}}) {
    CAPTURE(row.query);
    CHECK(get_json("/api/search?q=quillon&" + row.query)["total"] == row.total);
  }
}

TEST_CASE("search: sorting and paging") {
  const json newest = get_json("/api/search?q=quillon&sort=newest");
  CHECK(newest["hits"][0]["id"] == "fx-beta-2");
  CHECK(newest["hits"][1]["id"] == "fx-beta-1");
  const json oldest = get_json("/api/search?q=quillon&sort=oldest");
  CHECK(oldest["hits"][0]["id"] == kHarbourId);
  CHECK(oldest["hits"][1]["id"] == "fx-alpha-2");
  std::vector<std::string> paged;
  for (int page = 1; page <= 4; ++page) {
    const json body = get_json("/api/search?q=quillon&sort=newest&size=2&page=" + std::to_string(page));
    CHECK(body["total"] == 6);
    CHECK(body["page"] == page);
    CHECK(body["size"] == 2);
    CHECK(body["hits"].size() == (page <= 3 ? 2u : 0u));
    for (const auto& id : ids_of(body["hits"])) paged.push_back(id);
  }
  CHECK(paged == ids_of(newest["hits"]));
  // An empty query lists everything.
  const json all = get_json("/api/search");
  CHECK(all["total"].get<int>() >= 11);
}

TEST_CASE("search: bad parameters are 400 naming the parameter") {
  struct Row {
    std::string query, param;
  };
  for (const auto& row : std::vector<Row>{{"sort=best", "sort"},
                                          {"page=0", "page"},
                                          {"page=x", "page"},
                                          {"size=101", "size"},
                                          {"size=0", "size"},
                                          {"interval=hour", "interval"},
                                          {"facet_size=0", "facet_size"},
                                          {"from=2022-02-30", "from"},
                                          {"to=11/25/2022", "to"},
                                          {"from=2023&to=2022", "from"},
                                          {"colour=red", "colour"},
                                          {"correct=maybe", "correct"},
                                          {"q=a&q=b", "q"},
                                          {"q=" + std::string(513, 'x'), "q"},
                                          {"q=%FF%FE", "q"}}) {
    CAPTURE(row.query);
    const json error = get_error("/api/search?" + row.query, 400);
    CHECK(error["param"] == row.param);
    CHECK(!error["message"].get<std::string>().empty());
  }
  CHECK(get_error("/api/search?q=" + std::string(513, 'x'), 400)["code"] == "query_too_long");
  CHECK(get_error("/api/articles/x?q=" + std::string(513, 'x'), 400)["code"] == "query_too_long");
  CHECK(get_error("/api/search?from=2023&to=2022", 400)["code"] == "invalid_date_range");
  // A NUL or another control character in any parameter.
  for (const std::string target : {"/api/search?q=port%00strike", "/api/search?q=%01",
                                   "/api/search.csv?q=a%00", "/api/articles/x?q=a%00b"}) {
    CAPTURE(target);
    const json error = get_error(target, 400);
    CHECK(error["code"] == "invalid_parameter");
    CHECK(error["param"] == "q");
  }
  const json outlet = get_error("/api/search?outlet=Gazette%00Alpha", 400);
  CHECK(outlet["param"] == "outlet");
  CHECK(get_error("/api/articles/a%00b", 400)["param"] == "id");
  // Bidirectional overrides are dropped before searching, and not echoed.
  const json bidi = get_json("/api/search?q=quillon%E2%80%AE");
  CHECK(bidi["query"] == "quillon");
}

TEST_CASE("TRACE and CONNECT are 405 like any method but GET") {
  for (const std::string method : {"TRACE", "CONNECT", "DELETE"}) {
    CAPTURE(method);
    httplib::Client client{"127.0.0.1", port()};
    httplib::Request req;
    req.method = method;
    req.path = "/api/search";
    auto res = client.send(req);
    REQUIRE(res);
    CHECK(res->status == 405);
    CHECK(res->get_header_value("Allow") == "GET, HEAD, OPTIONS");
    // cpp-httplib's client reads no body after CONNECT; the server sends the JSON error.
    if (method != "CONNECT") CHECK(json_of(res)["error"]["code"] == "method_not_allowed");
  }
}

TEST_CASE("articles: by id, with highlights, and 404") {
  const json article = get_json("/api/articles/" + http::percent_encode(kHarbourId) + "?q=meeting");
  CHECK(article["id"] == kHarbourId);
  CHECK(article["outlet"] == "Gazette Alpha");
  CHECK(article["date"] == "2021-03-04");
  CHECK(article["author"] == "Mira Tolvanen");
  CHECK(article["url"] == kHarbourId);
  CHECK(article["text"].get<std::string>().find("committee meets every month") != std::string::npos);
  CHECK(article["text_html"].get<std::string>().find("<mark>meets</mark>") != std::string::npos);
  CHECK(article.contains("title_html"));
  // Unencoded slashes work too.
  CHECK(get_json("/api/articles/" + kHarbourId)["id"] == kHarbourId);

  const json markup = get_json("/api/articles/fx-beta-2");
  CHECK(markup["text"].get<std::string>().find("<script>") != std::string::npos);
  for (const char* field : {"title_html", "text_html"}) {
    const std::string html = markup[field];
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;") != std::string::npos);
  }
  const json undated = get_json("/api/articles/fx-gamma-1");
  CHECK(undated["date"].is_null());
  CHECK(undated["url"].is_null());

  CHECK(get_error("/api/articles/no-such-article", 404)["code"] == "not_found");
  CHECK(get_error("/api/articles/no-such-article/similar", 404)["code"] == "not_found");
  CHECK(get_error("/api/articles/%zz", 400)["param"] == "id");
  CHECK(get_error("/api/articles/fx-beta-2?bogus=1", 400)["param"] == "bogus");
  // An id that ends in "/similar" once decoded is an id, not the similar endpoint.
  CHECK(get_error("/api/articles/fx-beta-2%2Fsimilar", 404)["code"] == "not_found");
}

TEST_CASE("articles: similar") {
  const json body = get_json("/api/articles/fx-alpha-3/similar?size=3");
  CHECK(body["id"] == "fx-alpha-3");
  REQUIRE(!body["hits"].empty());
  CHECK(body["hits"].size() <= 3);
  for (const auto& hit : body["hits"]) CHECK(hit["id"] != "fx-alpha-3");
  const json harbour = get_json("/api/articles/" + http::percent_encode(kHarbourId) + "/similar");
  CHECK(harbour["hits"].size() <= 5);
  for (const auto& hit : harbour["hits"]) CHECK(hit["id"] != kHarbourId);
  CHECK(get_error("/api/articles/fx-alpha-3/similar?size=51", 400)["param"] == "size");
  CHECK(get_error("/api/articles/fx-alpha-3/similar?size=0", 400)["param"] == "size");
}

TEST_CASE("articles: a re-hosted copy is an article of its own, and the most similar") {
  const std::string original = "https://brannockpacket.example/news/ferry-evening-sailings-4412";
  const std::string copy = "https://newsmirror-daily.example/world/islands/ferry-evening-sailings";
  const std::string phrase = "/api/search?q=%22final%20departure%20at%20a%20quarter%20past%20four%22";
  const json both = get_json(phrase + "&collapse=false");
  CHECK(both["total"] == 2);
  const auto ids = ids_of(both["hits"]);
  CHECK(std::set<std::string>(ids.begin(), ids.end()) == std::set<std::string>{original, copy});
  // One story: by default the two are one hit, which names the first of them.
  const json story = get_json(phrase);
  CHECK(story["total"] == 1);
  CHECK(story["total_articles"] == 2);
  REQUIRE(story["hits"].size() == 1);
  CHECK(story["hits"][0]["copies"]["count"] == 2);
  CHECK(story["hits"][0]["copies"]["first"]["id"] == original);
  CHECK(get_json("/api/articles/" + http::percent_encode(copy))["outlet"] == "newsmirror-daily.example");
  const json similar = get_json("/api/articles/" + http::percent_encode(original) + "/similar");
  REQUIRE_FALSE(similar["hits"].empty());
  CHECK(similar["hits"][0]["id"] == copy);
}

TEST_CASE("CSV export") {
  auto res = raw_get(port(), "/api/search.csv?q=quillon&sort=oldest");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(res->get_header_value("Content-Disposition") == "attachment; filename=\"clippings-quillon.csv\"");
  CHECK(res->get_header_value("X-Total-Count") == "6");
  const std::string& csv = res->body;
  CHECK(csv.starts_with("id,title,outlet,date,url,score,author,lang,indexed,snippet,group,copies\r\n"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
  CHECK(csv.find("\r\nfx-alpha-2,\"Quillon, \"\"quoted\"\" title for the ledger\",Gazette Alpha,2021-03-20,,") !=
        std::string::npos);
  CHECK(csv.find("\r\nfx-gamma-1,Quillon lighthouse keeper retires,Gamma Post,,,") != std::string::npos);
  // size and page select a window of the results.
  auto window = raw_get(port(), "/api/search.csv?q=quillon&sort=oldest&size=2&page=2");
  REQUIRE(window);
  CHECK(std::count(window->body.begin(), window->body.end(), '\n') == 3);
  CHECK(window->body.find("\r\nfx-alpha-3,") != std::string::npos);
  CHECK(window->body.find("\r\nfx-beta-1,") != std::string::npos);
  CHECK(get_error("/api/search.csv?size=100001", 400)["param"] == "size");
}

TEST_CASE("Atom feed is well-formed, most recently indexed first, escaped") {
  auto res = raw_get(port(), "/api/search.atom?q=quillon&sort=oldest");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/atom+xml; charset=utf-8");
  const std::string& xml = res->body;
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  CHECK_MESSAGE(doc != nullptr, xml);
  if (doc) {
    const xmlNode* root = xmlDocGetRootElement(doc);
    CHECK(std::string{reinterpret_cast<const char*>(root->name)} == "feed");
    REQUIRE(root->ns != nullptr);
    CHECK(std::string{reinterpret_cast<const char*>(root->ns->href)} == "http://www.w3.org/2005/Atom");
    xmlFreeDoc(doc);
  }
  CHECK(xml.find("<link rel=\"self\" type=\"application/atom+xml\" href=\"http://127.0.0.1:" +
                 std::to_string(port()) + "/api/search.atom?q=quillon&amp;sort=oldest\"/>") != std::string::npos);
  // The feed changed when its newest entry was indexed.
  const auto updated_at = [&xml](std::size_t from) {
    const auto at = xml.find("<updated>", from) + 9;
    return xml.substr(at, xml.find("</updated>", at) - at);
  };
  CHECK(std::regex_match(updated_at(0), std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"}));
  CHECK(updated_at(0) == updated_at(xml.find("<entry>")));
  CHECK(std::count(xml.begin(), xml.end(), '\n') > 6);
  std::vector<std::size_t> entries;
  for (auto at = xml.find("<entry>"); at != std::string::npos; at = xml.find("<entry>", at + 1)) {
    entries.push_back(at);
  }
  CHECK(entries.size() == 6);
  // Indexed in one run, in one second: the last added first, whatever sort says.
  CHECK(xml.find("&lt;script&gt;") < xml.find("Beta Courier reports quillon tram delays"));
  CHECK(xml.find("Beta Courier reports quillon tram delays") < xml.find("Quillon orchard festival"));
  CHECK(xml.find("<script") == std::string::npos);
  CHECK(xml.find("<id>https://beta-courier.example/markup</id>") != std::string::npos);
  CHECK(xml.find("<id>urn:clippings:article:fx-gamma-1</id>") != std::string::npos);
  CHECK(xml.find("<published>2022-02-01T00:00:00Z</published>") != std::string::npos);
  CHECK(xml.find("1970-01-01") == std::string::npos);
  CHECK(xml.find("<author><name>Ana Ruiz</name></author>") != std::string::npos);
  CHECK(xml.find("<summary type=\"text\">") != std::string::npos);
  CHECK(xml.find("&lt;mark&gt;") == std::string::npos);
  CHECK(get_error("/api/search.atom?size=101", 400)["param"] == "size");
}

TEST_CASE("stats, health and readiness") {
  const json stats = get_json("/api/stats");
  CHECK(stats["articles"].get<int>() >= 11);
  std::map<std::string, int> outlets;
  for (const auto& o : stats["outlets"]) outlets[o["value"]] = o["count"];
  CHECK(outlets.at("Gazette Alpha") == 3);
  CHECK(outlets.at("Beta Courier") == 2);
  CHECK(outlets.at("Skerry Coast Herald") == 2);
  CHECK(outlets.at("islandwire.example") == 2);
  CHECK(stats["first_date"].get<std::string>() <= "2021-03-04");
  CHECK(stats["last_date"].get<std::string>() >= "2024-09-20");
  CHECK(stats["revision"].get<int>() >= 1);
  CHECK(get_json("/healthz") == json{{"status", "ok"}});
  const json ready = get_json("/readyz");
  CHECK(ready["status"] == "ready");
  CHECK(ready["articles"] == stats["articles"]);
}

TEST_CASE("metrics count the requests made") {
  const std::string marker = "clippings_http_requests_total{route=\"/api/stats\",method=\"GET\",status=\"200\"} ";
  auto count_in = [&](const std::string& text) {
    const auto at = text.find(marker);
    return at == std::string::npos ? 0 : std::stoi(text.substr(at + marker.size()));
  };
  auto before = raw_get(port(), "/metrics");
  REQUIRE(before);
  CHECK(before->status == 200);
  CHECK(before->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  get_json("/api/stats");
  get_json("/api/stats");
  // A request is counted once its response is sent, so the client may read /metrics first.
  const int expected = count_in(before->body) + 2;
  auto after = raw_get(port(), "/metrics");
  for (int attempt = 0; attempt < 50 && after && count_in(after->body) < expected; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = raw_get(port(), "/metrics");
  }
  REQUIRE(after);
  CHECK(count_in(after->body) == expected);
  CHECK(after->body.find("# TYPE clippings_http_request_duration_seconds histogram") != std::string::npos);
  CHECK(after->body.find("clippings_http_request_duration_seconds_count{route=\"/api/stats\"}") != std::string::npos);
  CHECK(after->body.find("clippings_http_request_duration_seconds_bucket{route=\"/metrics\",le=\"+Inf\"}") != std::string::npos);
  const std::string articles = "clippings_articles_indexed " + std::to_string(get_json("/api/stats")["articles"].get<int>()) + "\n";
  CHECK(after->body.find(articles) != std::string::npos);
  CHECK(after->body.find("clippings_build_info{version=\"") != std::string::npos);
}

TEST_CASE("the OpenAPI document is served") {
  const json document = get_json("/api/openapi.json");
  CHECK(document["openapi"] == "3.1.0");
  CHECK(document["paths"].contains("/api/search"));
  CHECK(document["paths"].contains("/api/articles/{id}/similar"));
}

TEST_CASE("static files: content types, index and traversal") {
  struct Row {
    std::string target;
    int status;
    std::string type;
  };
  for (const auto& row : std::vector<Row>{
           {"/", 200, "text/html; charset=utf-8"},
           {"/index.html", 200, "text/html; charset=utf-8"},
           {"/js/app.js", 200, "text/javascript; charset=utf-8"},
           {"/style.css", 200, "text/css; charset=utf-8"},
           {"/icon.svg", 200, "image/svg+xml"},
           {"/missing.png", 404, ""},
           {"/.hidden", 404, ""},
           {"/../outside/secret.txt", 400, ""},
           {"/%2e%2e/outside/secret.txt", 400, ""},
           {"/%2E%2E%2Foutside%2Fsecret.txt", 400, ""},
           {"/js/..%2f..%2foutside/secret.txt", 400, ""},
           {"/%252e%252e/outside/secret.txt", 404, ""},
           {"/..%5coutside%5csecret.txt", 400, ""},
           {"/index.html%00.png", 400, ""},
           {"/escape.txt", 404, ""},
           {"/escape-dir/secret.txt", 404, ""}}) {
    CAPTURE(row.target);
    auto res = raw_get(port(), row.target);
    REQUIRE(res);
    CHECK(res->status == row.status);
    CHECK(res->body.find("outside the web root") == std::string::npos);
    if (row.status == 200) {
      CHECK(res->get_header_value("Content-Type") == row.type);
    } else {
      CHECK(json_of(res)["error"]["status"] == row.status);
    }
  }
  auto page = raw_get(port(), "/");
  REQUIRE(page);
  CHECK(page->body == "<!doctype html><title>Clippings</title>");
  CHECK(page->get_header_value("Cache-Control") == "no-cache");
  auto script = raw_get(port(), "/js/app.js");
  REQUIRE(script);
  CHECK(script->get_header_value("Cache-Control") == "public, max-age=300");
}

TEST_CASE("unknown API paths are 404 JSON, wrong methods 405 with Allow") {
  CHECK(get_error("/api/nothing-here", 404)["code"] == "not_found");
  CHECK(get_error("/api", 404)["code"] == "not_found");
  httplib::Client client{"127.0.0.1", port()};
  struct Row {
    std::string method, path;
    int status;
  };
  for (const auto& row : std::vector<Row>{{"POST", "/api/search", 405},
                                          {"PUT", "/api/articles/fx-beta-2", 405},
                                          {"DELETE", "/api/articles/fx-beta-2", 405},
                                          {"PATCH", "/api/stats", 405},
                                          {"POST", "/", 405},
                                          {"POST", "/api/nothing-here", 404}}) {
    CAPTURE(row.method);
    CAPTURE(row.path);
    httplib::Result res = row.method == "POST"     ? client.Post(row.path.c_str(), "x=1", "text/plain")
                          : row.method == "PUT"    ? client.Put(row.path.c_str(), "x=1", "text/plain")
                          : row.method == "PATCH"  ? client.Patch(row.path.c_str(), "x=1", "text/plain")
                                                   : client.Delete(row.path.c_str());
    REQUIRE(res);
    CHECK(res->status == row.status);
    CHECK(json_of(res)["error"]["status"] == row.status);
    if (row.status == 405) CHECK(res->get_header_value("Allow") == "GET, HEAD, OPTIONS");
  }
  auto head = client.Head("/api/search?q=quillon");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
}

TEST_CASE("security, cache and CORS headers") {
  auto api = raw_get(port(), "/api/search?q=quillon", {{"Origin", "https://allowed.example"}});
  REQUIRE(api);
  CHECK(api->get_header_value("Content-Security-Policy") ==
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  CHECK(api->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(api->get_header_value("X-Frame-Options") == "DENY");
  CHECK(api->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(api->get_header_value("Cache-Control") == "no-store");
  CHECK(api->get_header_value("Access-Control-Allow-Origin") == "https://allowed.example");
  CHECK(api->get_header_value("Vary") == "Origin");
  CHECK(!api->get_header_value("X-Request-Id").empty());

  auto other = raw_get(port(), "/api/search?q=quillon", {{"Origin", "https://evil.example"}});
  REQUIRE(other);
  CHECK_FALSE(other->has_header("Access-Control-Allow-Origin"));

  httplib::Client client{"127.0.0.1", port()};
  auto preflight = client.Options("/api/search", {{"Origin", "https://allowed.example"},
                                                  {"Access-Control-Request-Method", "GET"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://allowed.example");
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS");

  // Errors carry the same headers, and a client's request id is echoed.
  auto error = raw_get(port(), "/api/nothing", {{"X-Request-Id", "trace-123"}});
  REQUIRE(error);
  CHECK(error->get_header_value("X-Request-Id") == "trace-123");
  CHECK(error->get_header_value("X-Content-Type-Options") == "nosniff");
  auto first = raw_get(port(), "/healthz"), second = raw_get(port(), "/healthz");
  REQUIRE((first && second));
  CHECK(first->get_header_value("X-Request-Id") != second->get_header_value("X-Request-Id"));
}

TEST_CASE("oversize requests are refused, and the server keeps answering") {
  // max_request_bytes is 4096 here: a longer request line is 414, long headers 431.
  auto long_uri = raw_get(port(), "/api/search?q=" + std::string(5000, 'a'));
  REQUIRE(long_uri);
  CHECK(long_uri->status == 414);
  CHECK(json_of(long_uri)["error"]["code"] == "uri_too_long");
  auto beyond_library = raw_get(port(), "/api/search?q=" + std::string(9000, 'a'));
  REQUIRE(beyond_library);
  CHECK(beyond_library->status == 414);
  CHECK(json_of(beyond_library)["error"]["code"] == "uri_too_long");
  auto long_headers = raw_get(port(), "/healthz", {{"X-Padding", std::string(3000, 'p')},
                                                  {"X-Padding-2", std::string(3000, 'p')}});
  REQUIRE(long_headers);
  CHECK(long_headers->status == 431);
  httplib::Client client{"127.0.0.1", port()};
  auto big_body = client.Post("/api/search", std::string(10000, 'b'), "text/plain");
  REQUIRE(big_body);
  CHECK(big_body->status == 413);
  CHECK(get_json("/healthz")["status"] == "ok");
}

}  // namespace clippings::test

namespace clippings::test {

TEST_CASE("concurrent requests each get their own searcher, bounded by the worker count") {
  TempDir dir;
  build_test_database(dir / "db");
  Config config = test_config(dir / "db", dir / "web");
  config.server.threads = 3;
  InProcessServer server{config};
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto res = raw_get(server.port(), "/api/search?q=quillon");
        if (res && res->status == 200 && json_of(res)["total"] == 6) {
          ++ok;
        } else {
          MESSAGE("failed: " << (res ? res->body : httplib::to_string(res.error())));
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(ok == 30);
  const auto created = server.server().context().searchers.created();
  CHECK(created >= 1);
  CHECK(created <= 3);
}

TEST_CASE("a fault inside a request is a JSON 500 with a request id, and the server goes on") {
  TempDir dir;
  {
    // A document whose stored data is not the JSON the schema promises.
    Xapian::WritableDatabase db{(dir / "db").string(), Xapian::DB_CREATE_OR_OPEN};
    Xapian::Document doc;
    doc.set_data("{not json");
    doc.add_boolean_term(schema::id_term("broken"));
    db.replace_document(schema::id_term("broken"), doc);
    db.commit();
  }
  InProcessServer server{test_config(dir / "db", dir / "web")};
  auto res = raw_get(server.port(), "/api/articles/broken");
  REQUIRE(res);
  CHECK(res->status == 500);
  const auto error = json_of(res)["error"];
  CHECK(error["status"] == 500);
  CHECK(error["message"].get<std::string>().find(res->get_header_value("X-Request-Id")) !=
        std::string::npos);
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  auto health = raw_get(server.port(), "/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("CORS with a wildcard origin, and an in-process server without a database") {
  TempDir dir;
  Config config = test_config(dir / "none", dir / "web");
  config.server.cors_origins = {"*"};
  InProcessServer server{config};
  auto res = raw_get(server.port(), "/api/search?q=x", {{"Origin", "https://anyone.example"}});
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(res->get_header_value("Access-Control-Allow-Origin") == "*");
  CHECK(json_of(res)["error"]["code"] == "not_ready");
  auto page = raw_get(server.port(), "/");
  REQUIRE(page);
  CHECK(page->status == 404);
}

}  // namespace clippings::test
