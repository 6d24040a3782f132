/// @file test_server_units.cpp
/// The HTTP layer without a socket: parameter parsing, CSV and XML writing, metrics text,
/// static-file resolution and the OpenAPI document against the route table.
#include <doctest/doctest.h>

#include <filesystem>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "atom_feed.h"
#include "csv_export.h"
#include "export_stream.h"
#include "handlers.h"
#include "http_server.h"
#include "json_views.h"
#include "metrics.h"
#include "params.h"
#include "request_framing.h"
#include "reply.h"
#include "routes.h"
#include "static_files.h"
#include "support.h"

namespace clippings::http {
namespace {

namespace fs = std::filesystem;
using test::write_file;

Params params_of(std::initializer_list<std::pair<const std::string, std::string>> items) {
  return Params{items};
}

}  // namespace

TEST_CASE("search parameters: valid values fill the request") {
  const ServerSettings settings;
  const auto parsed = parse_search_params(
      params_of({{"q", "ferry"}, {"outlet", "The Brannock Packet"}, {"outlet", "Skerry Coast Herald"},
                 {"outlet", ""}, {"from", "2022"}, {"to", "2022-11"}, {"sort", "newest"}, {"page", "3"},
                 {"size", "25"}, {"interval", "week"}, {"facet_size", "7"}, {"facet_query", "sker"}}),
      settings, SearchFormat::kJson);
  REQUIRE(parsed.ok());
  CHECK(parsed->q == "ferry");
  CHECK(parsed->outlets == std::vector<std::string>{"The Brannock Packet", "Skerry Coast Herald"});
  CHECK(parsed->facet_query == "sker");
  CHECK(parsed->from == "2022-01-01");
  CHECK(parsed->to == "2022-11-30");
  CHECK(parsed->sort == SortOrder::kNewest);
  CHECK(parsed->page == 3);
  CHECK(parsed->size == 25);
  CHECK(parsed->interval == Interval::kWeek);
  CHECK(parsed->facet_size == 7);
  CHECK(parsed->facets);
}

TEST_CASE("search parameters: facet_query, and facet_size=all for every outlet") {
  const ServerSettings settings;
  const auto parsed = parse_search_params(params_of({{"facet_query", "Télé"}, {"facet_size", "all"}}),
                                          settings, SearchFormat::kJson);
  REQUIRE(parsed.ok());
  CHECK(parsed->facet_query == "Télé");
  CHECK(parsed->facet_size == std::numeric_limits<int>::max());
  const std::string too_long(settings.max_query_bytes + 1, 'a');
  const auto rejected = parse_search_params(params_of({{"facet_query", too_long}}), settings, SearchFormat::kJson);
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().param == "facet_query");
}

TEST_CASE("search parameters: defaults per format") {
  ServerSettings settings;
  settings.facet_size = 13;
  struct Row {
    SearchFormat format;
    int size;
    bool facets, snippets;
  };
  for (const Row row : {Row{SearchFormat::kJson, 10, true, true}, Row{SearchFormat::kAtom, 20, false, true}}) {
    const auto parsed = parse_search_params({}, settings, row.format);
    REQUIRE(parsed.ok());
    CHECK(parsed->size == row.size);
    CHECK(parsed->page == 1);
    CHECK(parsed->facet_size == 13);
    CHECK(parsed->facets == row.facets);
    CHECK(parsed->snippets == row.snippets);
  }
}

TEST_CASE("search parameters: every bad value is a 400 naming the parameter") {
  ServerSettings settings;
  settings.max_query_bytes = 16;
  struct Row {
    Params params;
    SearchFormat format;
    std::string param;
    std::string code;
  };
  const std::vector<Row> rows = {
      {params_of({{"bogus", "1"}}), SearchFormat::kJson, "bogus", "unknown_parameter"},
      {params_of({{"q", "a"}, {"q", "b"}}), SearchFormat::kJson, "q", "invalid_parameter"},
      {params_of({{"q", std::string(17, 'x')}}), SearchFormat::kJson, "q", "query_too_long"},
      {params_of({{"q", "\xff\xfe"}}), SearchFormat::kJson, "q", "invalid_parameter"},
      {params_of({{"sort", "random"}}), SearchFormat::kJson, "sort", ""},
      {params_of({{"interval", "hour"}}), SearchFormat::kJson, "interval", ""},
      {params_of({{"from", "2022-13"}}), SearchFormat::kJson, "from", ""},
      {params_of({{"to", "yesterday"}}), SearchFormat::kJson, "to", ""},
      {params_of({{"from", "2023"}, {"to", "2022"}}), SearchFormat::kJson, "from", "invalid_date_range"},
      {params_of({{"page", "0"}}), SearchFormat::kJson, "page", "invalid_parameter"},
      {params_of({{"page", "-1"}}), SearchFormat::kJson, "page", "invalid_parameter"},
      {params_of({{"page", "1.5"}}), SearchFormat::kJson, "page", "invalid_parameter"},
      {params_of({{"page", "99999999999999"}}), SearchFormat::kJson, "page", "invalid_parameter"},
      {params_of({{"page", "2000"}, {"size", "100"}}), SearchFormat::kJson, "page", "invalid_parameter"},
      {params_of({{"size", "0"}}), SearchFormat::kJson, "size", "invalid_parameter"},
      {params_of({{"size", "101"}}), SearchFormat::kJson, "size", "invalid_parameter"},
      {params_of({{"size", " 5"}}), SearchFormat::kJson, "size", "invalid_parameter"},
      {params_of({{"size", "101"}}), SearchFormat::kAtom, "size", "invalid_parameter"},
      {params_of({{"facet_size", "0"}}), SearchFormat::kJson, "facet_size", "invalid_parameter"},
      {params_of({{"facet_size", "1001"}}), SearchFormat::kJson, "facet_size", "invalid_parameter"},
      {params_of({{"q", std::string{"port\0strike", 11}}}), SearchFormat::kJson, "q", "invalid_parameter"},
      {params_of({{"q", "port\x01"}}), SearchFormat::kJson, "q", "invalid_parameter"},
      {params_of({{"outlet", std::string{"a\0", 2}}}), SearchFormat::kJson, "outlet", "invalid_parameter"},
      {params_of({{"outlet", "\xff"}}), SearchFormat::kJson, "outlet", "invalid_parameter"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.param);
    const auto parsed = parse_search_params(row.params, settings, row.format);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().status == 400);
    CHECK(parsed.error().param == row.param);
    if (!row.code.empty()) CHECK(parsed.error().code == row.code);
  }
}

TEST_CASE("export parameters: the whole result unless page and size ask for a slice") {
  ServerSettings settings;
  settings.max_export_rows = 5000;
  const auto whole = parse_export_params(params_of({{"q", "port strike"}, {"sort", "oldest"}}), settings);
  REQUIRE(whole.ok());
  CHECK(whole->whole);
  CHECK(whole->offset == 0);
  CHECK(whole->limit == 5000);
  CHECK(whole->search.q == "port strike");
  CHECK(whole->search.sort == SortOrder::kOldest);
  CHECK_FALSE(whole->search.facets);
  CHECK(whole->search.snippets);
  const auto slice = parse_export_params(params_of({{"page", "3"}, {"size", "1000"}}), settings);
  REQUIRE(slice.ok());
  CHECK_FALSE(slice->whole);
  CHECK(slice->offset == 2000);
  CHECK(slice->limit == 1000);
  const auto first = parse_export_params(params_of({{"size", "5000"}}), settings);
  REQUIRE(first.ok());
  CHECK(first->offset == 0);
  CHECK(first->limit == 5000);
  struct Row {
    Params params;
    std::string param;
  };
  for (const auto& row : std::vector<Row>{{params_of({{"size", "5001"}}), "size"},
                                          {params_of({{"size", "0"}}), "size"},
                                          {params_of({{"page", "2"}}), "page"},
                                          {params_of({{"page", "2"}, {"size", "2501"}}), "page"},
                                          {params_of({{"sort", "best"}}), "sort"},
                                          {params_of({{"format", "xlsx"}}), "format"}}) {
    CAPTURE(row.param);
    const auto parsed = parse_export_params(row.params, settings);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().status == 400);
    CHECK(parsed.error().param == row.param);
  }
}

TEST_CASE("export file names come from the query, safe in any browser") {
  struct Row {
    std::string q, disposition;
  };
  for (const auto& row : std::vector<Row>{
           {"port strike", R"(attachment; filename="clippings-port-strike.csv")"},
           {"", R"(attachment; filename="clippings.csv")"},
           {"  \"Port Strike\" AND title:dock*  ", R"(attachment; filename="clippings-port-strike-and-title-dock.csv")"},
           {"../../etc/passwd", R"(attachment; filename="clippings-etc-passwd.csv")"},
           {"a\"b\\c;d\r\ne", R"(attachment; filename="clippings-a-b-c-d-e.csv")"},
           {"***", R"(attachment; filename="clippings.csv")"},
           {"Łódź strike", "attachment; filename=\"clippings-d-strike.csv\"; "
                           "filename*=UTF-8''clippings-%C5%82%C3%B3d%C5%BA-strike.csv"},
           {"забастовка", "attachment; filename=\"clippings.csv\"; "
                          "filename*=UTF-8''clippings-%D0%B7%D0%B0%D0%B1%D0%B0%D1%81%D1%82%D0%BE%D0%B2%D0%BA%D0%B0.csv"},
       }) {
    CAPTURE(row.q);
    CHECK(export_disposition(row.q, "csv") == row.disposition);
  }
  // Long queries give names of at most 60 characters of the query.
  CHECK(export_disposition(std::string(500, 'x'), "jsonl") ==
        "attachment; filename=\"clippings-" + std::string(60, 'x') + ".jsonl\"");
}

TEST_CASE("search parameters: the HTTP layer and the searcher give each rule one code") {
  ServerSettings settings;
  settings.max_query_bytes = 16;
  struct Row {
    Params params;
    void (*change)(SearchRequest&);
  };
  const std::vector<Row> rows = {
      {params_of({{"q", std::string(17, 'x')}}), [](SearchRequest& r) { r.q = std::string(17, 'x'); }},
      {params_of({{"q", "\xff"}}), [](SearchRequest& r) { r.q = "\xff"; }},
      {params_of({{"q", std::string{"a\0", 2}}}), [](SearchRequest& r) { r.q = std::string{"a\0", 2}; }},
      {params_of({{"outlet", std::string{"a\0", 2}}}),
       [](SearchRequest& r) { r.outlets = {std::string{"a\0", 2}}; }},
      {params_of({{"page", "0"}}), [](SearchRequest& r) { r.page = 0; }},
      {params_of({{"facet_size", "0"}}), [](SearchRequest& r) { r.facet_size = 0; }},
      {params_of({{"facet_size", "5000"}}), [](SearchRequest& r) { r.facet_size = 5000; }},
      {params_of({{"from", "2023"}, {"to", "2022"}}),
       [](SearchRequest& r) { r.from = "2023-01-01"; r.to = "2022-12-31"; }},
  };
  for (const auto& row : rows) {
    const auto parsed = parse_search_params(row.params, settings, SearchFormat::kJson);
    SearchRequest request;
    row.change(request);
    const auto checked = check_search_request(request, settings);
    REQUIRE_FALSE(parsed.ok());
    REQUIRE(checked);
    CAPTURE(parsed.error().message);
    CHECK(parsed.error().code == checked->code);
    CHECK(parsed.error().param == checked->param);
  }
}

TEST_CASE("search parameters: bidirectional controls are removed from q and outlet") {
  // U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE go; U+200F RLM stays.
  const auto parsed = parse_search_params(
      params_of({{"q", "port\u202e strike\u2066"}, {"outlet", "Gazette\u202c"}, {"sort", "newest"}}),
      ServerSettings{}, SearchFormat::kJson);
  REQUIRE(parsed.ok());
  CHECK(parsed->q == "port strike");
  CHECK(parsed->outlets == std::vector<std::string>{"Gazette"});
  CHECK(strip_bidi_controls("\u05e9\u05dc\u200f") == "\u05e9\u05dc\u200f");
}

TEST_CASE("request framing: where a request ends, and the size limits") {
  using Kind = Framing::Kind;
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string post = "POST /api/search HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody";
  struct Row {
    const char* name;
    std::string in;
    std::size_t max_bytes;
    Kind kind;
    std::size_t length_or_status;  ///< the request's length when complete, else the status
  };
  const std::vector<Row> rows = {
      {"a whole GET", get, 4096, Kind::kComplete, get.size()},
      {"a GET and the start of the next", get + "GET /", 4096, Kind::kComplete, get.size()},
      {"bare LF line ends", "GET / HTTP/1.0\nHost: x\n\n", 4096, Kind::kComplete, 24},
      {"headers not finished", "GET / HTTP/1.1\r\nHost: x\r\n", 4096, Kind::kIncomplete, 0},
      {"a request line not finished", "GET /api/sea", 4096, Kind::kIncomplete, 0},
      {"a body by Content-Length", post, 4096, Kind::kComplete, post.size()},
      {"a body not all here", post.substr(0, post.size() - 1), 4096, Kind::kIncomplete, 0},
      {"a request line too long", "GET /" + std::string(5000, 'a'), 4096, Kind::kError, 414},
      {"a request line over the parser's limit", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n",
       1 << 20, Kind::kError, 414},
      {"a header line over the parser's limit", "GET / HTTP/1.1\r\nX: " + std::string(9000, 'a'),
       1 << 20, Kind::kError, 431},
      {"headers too large", "GET / HTTP/1.1\r\nX: " + std::string(3000, 'a') + "\r\nY: " +
       std::string(3000, 'a'), 4096, Kind::kError, 431},
      {"a body too large", "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 4096, Kind::kError, 413},
      {"a Content-Length that is no number", "POST / HTTP/1.1\r\nContent-Length: 4x\r\n\r\n", 4096,
       Kind::kError, 400},
      {"two different Content-Lengths", "POST / HTTP/1.1\r\nContent-Length: 1\r\ncontent-length: 2\r\n\r\n",
       4096, Kind::kError, 400},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    const Framing framing = frame_request(row.in, row.max_bytes);
    CHECK(framing.kind == row.kind);
    if (row.kind == Kind::kComplete) CHECK(framing.length == row.length_or_status);
    if (row.kind == Kind::kError) CHECK(framing.status == row.length_or_status);
  }
}

TEST_CASE("article and similar parameters") {
  const ServerSettings settings;
  CHECK(*parse_article_params(params_of({{"q", "meeting"}}), settings) == "meeting");
  CHECK(parse_article_params(params_of({{"size", "3"}}), settings).error().param == "size");
  CHECK(*parse_similar_params({}) == kSimilarDefaultSize);
  CHECK(*parse_similar_params(params_of({{"size", "50"}})) == 50);
  CHECK(parse_similar_params(params_of({{"size", "51"}})).error().param == "size");
  CHECK(parse_similar_params(params_of({{"q", "x"}})).error().code == "unknown_parameter");
}

TEST_CASE("percent decoding and encoding") {
  struct Row {
    std::string in;
    bool ok;
    std::string out;
  };
  for (const auto& row : std::vector<Row>{{"abc", true, "abc"},
                                          {"https%3A%2F%2Fx.example%2Fa", true, "https://x.example/a"},
                                          {"a+b", true, "a+b"},
                                          {"%25", true, "%"},
                                          {"%zz", false, ""},
                                          {"%4", false, ""},
                                          {"%", false, ""},
                                          {"%ff", false, ""},
                                          // Control characters are refused however encoded.
                                          {"%01", false, ""},
                                          {"a%00b", false, ""}}) {
    CAPTURE(row.in);
    const auto decoded = percent_decode(row.in, "id");
    REQUIRE(decoded.ok() == row.ok);
    if (row.ok) CHECK(*decoded == row.out);
    if (!row.ok) CHECK(decoded.error().param == "id");
  }
  CHECK(percent_encode("https://x.example/a b") == "https%3A%2F%2Fx.example%2Fa%20b");
  CHECK(*percent_decode(percent_encode("ü/%?#&"), "id") == "ü/%?#&");
}

TEST_CASE("CSV fields follow RFC 4180") {
  struct Row {
    std::string in, out;
  };
  for (const auto& row : std::vector<Row>{{"plain", "plain"},
                                          {"", ""},
                                          {"a,b", "\"a,b\""},
                                          {"say \"hi\"", "\"say \"\"hi\"\"\""},
                                          {"two\nlines", "\"two\nlines\""},
                                          {"cr\rhere", "\"cr\rhere\""},
                                          {" padded ", "\" padded \""}}) {
    CHECK(csv_field(row.in) == row.out);
  }
  CHECK(csv_row({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
}

TEST_CASE("CSV text cells cannot start a spreadsheet formula") {
  struct Row {
    std::string in, out;
  };
  for (const auto& row : std::vector<Row>{{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
                                          {"+1 vote", "'+1 vote"},
                                          {"-2 degrees", "'-2 degrees"},
                                          {"@SUM(A1)", "'@SUM(A1)"},
                                          {"\tindented", "'\tindented"},
                                          {"\rreturn", "'\rreturn"},
                                          {"plain = fine", "plain = fine"},
                                          {"2024-06-03", "2024-06-03"},
                                          {"", ""}}) {
    CAPTURE(row.in);
    CHECK(csv_text(row.in) == row.out);
  }
}

TEST_CASE("XML escaping and plain snippets") {
  CHECK(escape_xml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
  CHECK(escape_xml(std::string{"bell\x07 tab\t"}) == "bell tab\t");
  CHECK(snippet_text("the <mark>meets</mark> &lt;script&gt; &amp; &quot;x&quot; &#39;y&#39;") ==
        "the meets <script> & \"x\" 'y'");
}

TEST_CASE("metrics text format") {
  Metrics metrics;
  metrics.observe("/api/search", "GET", 200, 0.003);
  metrics.observe("/api/search", "GET", 200, 0.2);
  metrics.observe("/api/search", "BREW", 400, 20.0);
  Stats index;
  index.articles = 42;
  const std::string text = metrics.render(index);
  CHECK(text.find("# TYPE clippings_http_requests_total counter") != std::string::npos);
  CHECK(text.find("clippings_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"} 2\n") != std::string::npos);
  CHECK(text.find("clippings_http_requests_total{route=\"/api/search\",method=\"other\",status=\"400\"} 1\n") != std::string::npos);
  CHECK(text.find("clippings_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.001\"} 0\n") != std::string::npos);
  CHECK(text.find("clippings_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find("clippings_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.25\"} 2\n") != std::string::npos);
  CHECK(text.find("clippings_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"10\"} 2\n") != std::string::npos);
  CHECK(text.find("clippings_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(text.find("clippings_http_request_duration_seconds_count{route=\"/api/search\"} 3\n") != std::string::npos);
  CHECK(text.find("clippings_articles_indexed 42\n") != std::string::npos);
  CHECK(text.find("clippings_build_info{version=\"") != std::string::npos);
  CHECK(metrics.render(std::nullopt).find("clippings_articles_indexed") == std::string::npos);
  CHECK(text.find("clippings_shard_articles") == std::string::npos);  // one database
  index.shards = {{"/data/a", 30, 4, ""}, {"/data/\"b\"", 12, 2, ""}};
  const std::string sharded = metrics.render(index);
  CHECK(sharded.find("# TYPE clippings_shard_articles gauge\n") != std::string::npos);
  CHECK(sharded.find("clippings_shard_articles{shard=\"/data/a\"} 30\n") != std::string::npos);
  CHECK(sharded.find("clippings_shard_articles{shard=\"/data/\\\"b\\\"\"} 12\n") != std::string::npos);
  CHECK(sharded.find("clippings_shard_up{shard=\"/data/a\"} 1\n") != std::string::npos);
  index.shards[0].down = "no database at /data/a (a shard): run clippings-indexer first";
  CHECK(metrics.render(index).find("clippings_shard_up{shard=\"/data/a\"} 0\n") != std::string::npos);
  CHECK(escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("static files stay inside the web root") {
  test::TempDir dir;
  const fs::path root = dir / "web";
  write_file(root / "index.html", "<!doctype html>");
  write_file(root / "js" / "app.js", "1;");
  write_file(root / ".env", "secret");
  write_file(dir / "web-sibling" / "x.txt", "sibling");
  write_file(dir / "outside.txt", "outside");
  fs::create_symlink(dir / "outside.txt", root / "link.txt");
  fs::create_symlink(dir / "web-sibling", root / "sib");
  const fs::path real_root = fs::canonical(root);
  struct Row {
    std::string path;
    int status;  ///< 200 when served
  };
  for (const auto& row : std::vector<Row>{{"/", 200},
                                          {"/index.html", 200},
                                          {"/js/app.js", 200},
                                          {"//js//app.js", 200},
                                          {"/js", 404},
                                          {"/missing.css", 404},
                                          {"/.env", 404},
                                          {"/../outside.txt", 400},
                                          {"/js/../../outside.txt", 400},
                                          {"/./index.html", 400},
                                          {"/..", 400},
                                          {"/..\\outside.txt", 400},
                                          {std::string{"/index.html\0x", 13}, 400},
                                          {"/%2e%2e/outside.txt", 404},
                                          {"/link.txt", 404},
                                          {"/sib/x.txt", 404}}) {
    CAPTURE(row.path);
    const auto resolved = resolve_static(real_root, row.path);
    if (row.status == 200) {
      REQUIRE(resolved.ok());
      CHECK(resolved->string().starts_with(real_root.string()));
    } else {
      REQUIRE_FALSE(resolved.ok());
      CHECK(resolved.error().status == row.status);
    }
  }
  const Reply page = get_static(real_root, "/");
  CHECK(page.status == 200);
  CHECK(page.body == "<!doctype html>");
  CHECK(page.content_type == "text/html; charset=utf-8");
}

TEST_CASE("content types by extension") {
  struct Row {
    std::string file, type;
  };
  for (const auto& row : std::vector<Row>{{"a.html", "text/html; charset=utf-8"},
                                          {"a.js", "text/javascript; charset=utf-8"},
                                          {"a.CSS", "text/css; charset=utf-8"},
                                          {"a.svg", "image/svg+xml"},
                                          {"a.png", "image/png"},
                                          {"favicon.ico", "image/x-icon"},
                                          {"a.json", "application/json; charset=utf-8"},
                                          {"a.woff2", "font/woff2"},
                                          {"Makefile", "application/octet-stream"}}) {
    CHECK(content_type_for(row.file) == row.type);
  }
}

TEST_CASE("error bodies") {
  const auto body = nlohmann::json::parse(error_reply(bad_request("invalid_query", "bad", "q")).body);
  CHECK(body == nlohmann::json{{"error", {{"status", 400}, {"code", "invalid_query"}, {"message", "bad"}, {"param", "q"}}}});
  const auto none = nlohmann::json::parse(error_reply(not_found("gone")).body);
  CHECK(none["error"]["param"].is_null());
  CHECK(none["error"]["status"] == 404);
}

TEST_CASE("request ids and log text") {
  CHECK(valid_request_id("abc-123_x.y"));
  CHECK_FALSE(valid_request_id(""));
  CHECK_FALSE(valid_request_id("has space"));
  CHECK_FALSE(valid_request_id(std::string(65, 'a')));
  const std::string a = make_request_id("p"), b = make_request_id("p");
  CHECK(a != b);
  CHECK(valid_request_id(a));
  CHECK(loggable("GET /x\n\x1b[31m") == "GET /x??[31m");
}

TEST_CASE("the OpenAPI document parses and describes exactly the route table") {
  const auto document = nlohmann::json::parse(openapi_document());
  CHECK(document["openapi"] == "3.1.0");
  ServerContext context{default_config()};
  std::set<std::string> routes;
  for (const auto& route : route_table(context)) {
    if (!route.documented) continue;
    routes.insert(route.name);
    CAPTURE(route.name);
    REQUIRE(document["paths"].contains(route.name));
    CHECK(document["paths"][route.name].contains("get"));
  }
  std::set<std::string> documented;
  for (const auto& [path, item] : document["paths"].items()) documented.insert(path);
  CHECK(documented == routes);
  CHECK(routes.size() == 13);
  // Every $ref points at something that exists.
  const std::string text = document.dump();
  for (std::size_t at = text.find("\"$ref\":\""); at != std::string::npos;
       at = text.find("\"$ref\":\"", at + 1)) {
    const auto start = at + 8, end = text.find('"', start);
    const std::string pointer = text.substr(start + 1, end - start - 1);  // drop the leading '#'
    CAPTURE(pointer);
    CHECK(document.contains(nlohmann::json::json_pointer{pointer}));
  }
}

TEST_CASE("the route classifier labels paths by route") {
  ServerContext context{default_config()};
  const RouteClassifier classifier{route_table(context)};
  CHECK(classifier.label("/api/search") == "/api/search");
  CHECK(classifier.label("/api/search.csv") == "/api/search.csv");
  CHECK(classifier.label("/api/articles/x/similar") == "/api/articles/{id}/similar");
  CHECK(classifier.label("/api/articles/x") == "/api/articles/{id}");
  CHECK(classifier.label("/api/nope") == "unmatched");
  CHECK(classifier.label("/index.html") == "/{path}");
  CHECK(classifier.label("") == "unmatched");
}


TEST_CASE("the search body is valid JSON with every field, whatever the strings hold") {
  SearchResponse response;
  response.query = "\"harbour bridge\" \\ tab\there";
  response.total = 3;
  response.total_exact = true;
  response.took_ms = 12.5;
  response.page = 2;
  response.size = 1;
  Hit hit;
  hit.id = "a1";
  hit.title = "Quotes \" and a control \x01 char";
  hit.title_html = "<mark>Quotes</mark>";
  hit.outlet = "Valley Courier";
  hit.date = "2022-11-21";
  hit.score = 1.25;
  hit.snippet_html = "bad UTF-8 \xff here";
  response.hits.push_back(hit);
  response.sort = SortOrder::kNewest;
  response.outlet_facet = {{"Valley Courier", 3, true}};
  response.outlet_total = 7;
  response.date_facet.interval = "week";
  response.date_facet.buckets = {{"2022-W47", "2022-11-21", "2022-11-27", 2},
                                 {"2022-W48", "2022-11-28", "2022-12-04", 0}};
  response.date_facet.undated = 1;

  for (const bool with_suggestion : {false, true}) {
    CAPTURE(with_suggestion);
    if (with_suggestion) response.suggestion = "harbor";
    const auto body = nlohmann::ordered_json::parse(http::search_body(response));
    std::vector<std::string> keys;
    for (const auto& [key, value] : body.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"query", "total", "total_articles", "collapsed", "total_exact",
                                           "timed_out", "took_ms", "page", "size", "sort", "hits", "facets",
                                           "suggestion", "matched"});
    CHECK(body["matched"] == "all");
    CHECK(body["query"] == response.query);
    CHECK(body["total"] == 3);
    CHECK(body["total_exact"] == true);
    CHECK(body["took_ms"] == 12.5);
    CHECK(body["page"] == 2);
    CHECK(body["size"] == 1);
    CHECK(body["sort"] == "newest");
    REQUIRE(body["hits"].size() == 1);
    CHECK(body["hits"][0]["title"] == hit.title);
    CHECK(body["hits"][0]["url"].is_null());
    CHECK(body["hits"][0]["snippet_html"] == "bad UTF-8 \xef\xbf\xbd here");  // replaced, not thrown
    CHECK(body["facets"]["outlet"][0] ==
          nlohmann::ordered_json{{"value", "Valley Courier"}, {"count", 3}, {"selected", true}});
    CHECK(body["facets"]["outlet_total"] == 7);
    const auto& date = body["facets"]["date"];
    CHECK(date["interval"] == "week");
    CHECK(date["undated"] == 1);
    REQUIRE(date["buckets"].size() == 2);
    CHECK(date["buckets"][1] ==
          nlohmann::ordered_json{{"key", "2022-W48"}, {"from", "2022-11-28"}, {"to", "2022-12-04"},
                                 {"count", 0}});
    CHECK(body["suggestion"] == (with_suggestion ? nlohmann::ordered_json("harbor") : nlohmann::ordered_json()));
  }
  response.date_facet.buckets.clear();  // no dated match: an empty list, still valid JSON
  CHECK(nlohmann::ordered_json::parse(http::search_body(response))["facets"]["date"]["buckets"].empty());

  // A relaxed, corrected query with an open quote: every optional field, escaped.
  response.partial = true;
  response.dropped = {"\"e-mail", "caf\xc3\xa9"};
  response.corrected_from = "harbr \"bridge";
  response.notes = {{"unclosed_quote", "a quote is \"open\"", 6}};
  const auto body = nlohmann::ordered_json::parse(http::search_body(response));
  std::vector<std::string> keys;
  for (const auto& [key, value] : body.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"query", "total", "total_articles", "collapsed", "total_exact",
                                         "timed_out", "took_ms", "page", "size", "sort", "hits", "facets",
                                         "suggestion", "matched", "dropped", "corrected_from", "notes"});
  CHECK(body["matched"] == "partial");
  CHECK(body["dropped"] == nlohmann::ordered_json{"\"e-mail", "caf\xc3\xa9"});
  CHECK(body["corrected_from"] == "harbr \"bridge");
  CHECK(body["notes"] == nlohmann::ordered_json::parse(
                             R"([{"code":"unclosed_quote","message":"a quote is \"open\"","position":6}])"));
}

TEST_CASE("the search body writes every string byte for byte as the JSON library does") {
  std::vector<std::string> strings = {
      "", "plain", "quote \" backslash \\ slash /", "DEL \x7f", "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d",
      "emoji \xf0\x9f\x93\xb0", "lone continuation \x80", "cut short \xe2\x80", "overlong \xc0\xaf",
      "surrogate \xed\xa0\x80", "past U+10FFFF \xf4\x90\x80\x80", "ends in a lead byte \xc3"};
  for (char c = 0; c < 0x20; ++c) strings.push_back(std::string{"control "} + c + " char");
  for (const auto& text : strings) {
    CAPTURE(text);
    SearchResponse response;
    response.query = text;
    Hit hit;
    hit.title = text;
    hit.author = text;
    hit.snippet_html = text;
    response.hits.push_back(hit);
    response.outlet_facet = {{text, 1, false}};
    const std::string body = http::search_body(response);
    const std::string expected = http::dump_json(nlohmann::ordered_json(text));
    CHECK(body.find(R"({"query":)" + expected + ",") == 0);
    CHECK(body.find(R"("title":)" + expected + ",") != std::string::npos);
    CHECK(body.find(R"("author":)" + (text.empty() ? "null" : expected) + ",") != std::string::npos);
    CHECK(body.find(R"("snippet_html":)" + expected + "}") != std::string::npos);
    CHECK(body.find(R"({"value":)" + expected + ",") != std::string::npos);
    CHECK(nlohmann::ordered_json::accept(body));
  }
}

TEST_CASE("the similar body is the id and the hits, as the search body writes them") {
  Hit hit;
  hit.id = "a\"1";
  hit.title = "Harbour";
  hit.score = 0.5;
  const auto body = nlohmann::ordered_json::parse(http::similar_body("a\"0", {hit, hit}));
  CHECK(body["id"] == "a\"0");
  REQUIRE(body["hits"].size() == 2);
  CHECK(body["hits"][1]["id"] == "a\"1");
  CHECK(body["hits"][1]["score"] == 0.5);
  CHECK(body["hits"][1]["date"].is_null());
  CHECK(nlohmann::ordered_json::parse(http::similar_body("a0", {}))["hits"].empty());
}

}  // namespace clippings::http
