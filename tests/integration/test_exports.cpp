/// @file test_exports.cpp
/// CSV and JSON Lines exports, the Atom feed and article lookup by any form of a URL, through
/// real HTTP against an in-process server, over databases these tests write themselves (every
/// article is made up here; the counts are exact).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <libxml/parser.h>

#include "document.h"
#include "export_stream.h"
#include "params.h"
#include "schema.h"
#include "search/searcher.h"
#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// Articles matching "vexmarl": more than the old 1,000-row CSV default, and a body several
/// times the size of the kernel's socket buffers once written out with their texts.
constexpr int kArticles = 2600;
/// When the export articles were indexed (Unix seconds): 2024-06-03T10:15:00Z.
constexpr std::int64_t kIndexedAt = 1717409700;

/// Words for the made-up texts, so that every article reads differently.
constexpr const char* kWords[] = {"harbour", "ledger", "quay", "tide", "crane", "barge",
                                  "pier",    "cargo",  "dock", "ferry", "strike", "council"};

std::string export_id(int n) { return fmt::format("ex-{:04d}", n); }

/// Titles a spreadsheet would run as formulas, or that start one.
std::string export_title(int n) {
  switch (n % 50) {
    case 1: return "=HYPERLINK(\"http://evil.example\",\"click\") vexmarl";
    case 2: return "+1 vote for vexmarl";
    case 3: return "-5 degrees at the vexmarl quay";
    case 4: return "@SUM(A1:A9) vexmarl";
    case 5: return "\tvexmarl, indented";
    default: return fmt::format("Vexmarl report {}", n);
  }
}

Article export_article(int n) {
  Article a;
  a.id = export_id(n);
  a.title = export_title(n);
  a.outlet = n % 3 == 0 ? "Harbor Ledger" : "Valley Wire";
  // Two articles a day from 2020-01-01; every 97th undated.
  if (n % 97 != 0) {
    const std::chrono::year_month_day day{std::chrono::sys_days{std::chrono::year{2020} / 1 / 1} +
                                          std::chrono::days{n / 2}};
    a.date = fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                         static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  }
  a.url = n % 4 == 0 ? "" : fmt::format("https://valley-wire.example/{}", n);
  a.author = n % 10 == 7 ? "=cmd|' /C calc'!A0" : fmt::format("Author {}", n % 13);
  a.lang = n % 5 == 0 ? "de" : "en";
  std::string text = fmt::format("Vexmarl dispatch number {}.", n);
  for (int i = 0; i < 600; ++i) {
    text += ' ';
    text += kWords[(n * 7 + i * (n % 11 + 1)) % std::size(kWords)];
    if (i % 40 == 39) text += ".\n\n";
  }
  a.text = text;
  return a;
}

/// Adds `articles` to the database at `db` (created if needed), stamped as indexed at
/// `indexed_at` when given, and commits.
void add_articles(const fs::path& db, const std::vector<Article>& articles,
                  std::optional<std::int64_t> indexed_at) {
  Xapian::WritableDatabase out{db.string(), Xapian::DB_CREATE_OR_OPEN};
  DocumentBuilder builder{"en"};
  if (indexed_at) builder.set_indexed_time(*indexed_at);
  for (const auto& article : articles) {
    IndexedDocument built = builder.build(article);
    out.replace_document(built.id_term, built.document);
  }
  out.commit();
}

Article small_article(std::string id, std::string title, std::string date, std::string url = "") {
  Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.outlet = "Harbor Ledger";
  a.date = std::move(date);
  a.url = std::move(url);
  a.lang = "en";
  a.text = "The " + a.title + " story, told in a few words.";
  return a;
}

/// Harbour articles for the feed ("zorvath") and the lookups, at known indexing times.
void add_feed_articles(const fs::path& db) {
  // Indexed before kSlotIndexed existed: newest by date, but it has no indexing time.
  add_articles(db, {small_article("zv-legacy", "Zorvath legacy piece", "2024-05-01")}, std::nullopt);
  add_articles(db,
               {small_article("zv-1", "Zorvath pier opens", "2023-03-01"),
                small_article("zv-2", "Zorvath ferry timetable", "2023-04-01"),
                small_article("zv-3", "Zorvath quay repairs", "2023-05-01")},
               kIndexedAt);
  add_articles(db, {small_article("zv-old", "Zorvath archive find from 1998", "1998-07-14")}, kIndexedAt + 3600);
  add_articles(db, {small_article("zv-undated", "Zorvath undated note", "")}, kIndexedAt + 7200);
  add_articles(db,
               {small_article("https://harbor-ledger.example/2023/05/port-strike-ends",
                              "Port strike ends", "2023-05-02",
                              "https://www.harbor-ledger.example/2023/05/port-strike-ends/?utm_source=feed"),
                small_article("http://old-wire.example/story", "Old wire story", "2023-05-03",
                              "http://old-wire.example/story")},
               kIndexedAt);
}

/// Articles each commit_changes adds, all older than the export articles, and deletes.
constexpr int kAddedPerCommit = 500;
constexpr int kDeletedPerCommit = 150;

/// One commit that changes what an export of "vexmarl" holds: articles that sort first by
/// date added, and ones that sort late deleted. An export that looked again after it would
/// repeat rows and drop others.
void commit_changes(const fs::path& db, int round) {
  Xapian::WritableDatabase out{db.string(), Xapian::DB_OPEN};
  DocumentBuilder builder{"en"};
  builder.set_indexed_time(kIndexedAt + 60 * round);
  for (int n = 1; n <= kAddedPerCommit; ++n) {
    Article a = export_article(n);
    a.id = fmt::format("late-{}-{:04d}", round, n);
    a.date = "2019-12-31";
    IndexedDocument built = builder.build(a);
    out.replace_document(built.id_term, built.document);
  }
  for (int k = 0; k < kDeletedPerCommit; ++k) {
    out.delete_document(schema::id_term(export_id(2000 + kDeletedPerCommit * (round - 1) + k)));
  }
  out.commit();
}

/// One database and one server per test process, built on first use.
struct Shared {
  TempDir dir;
  std::unique_ptr<InProcessServer> server;
  Shared() {
    std::vector<Article> articles;
    for (int n = 1; n <= kArticles; ++n) articles.push_back(export_article(n));
    add_articles(dir / "db", articles, kIndexedAt);
    add_feed_articles(dir / "db");
    server = std::make_unique<InProcessServer>(test_config(dir / "db", dir / "web"));
  }
};

Shared& shared() {
  static Shared instance;
  return instance;
}

int port() { return shared().server->port(); }

/// The records of an RFC 4180 text (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      field += c;
    }
  }
  REQUIRE_MESSAGE(field.empty(), "the CSV does not end with CRLF");
  REQUIRE(row.empty());
  return rows;
}

/// The JSON object of each line.
std::vector<json> parse_lines(const std::string& text) {
  std::vector<json> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    REQUIRE_MESSAGE(end != std::string::npos, "the last line has no newline");
    const auto line = json::parse(text.substr(start, end - start), nullptr, false);
    REQUIRE_MESSAGE(!line.is_discarded(), text.substr(start, std::min<std::size_t>(end - start, 300)));
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

/// The ids of every hit of `query`, in the order the search page shows them, page by page.
std::vector<std::string> page_order(int port, const std::string& query) {
  std::vector<std::string> ids;
  for (int page = 1; page <= 100; ++page) {
    const json body = json_of(raw_get(port, fmt::format("/api/search?{}&size=100&page={}", query, page)));
    if (body["hits"].empty()) break;
    for (const auto& hit : body["hits"]) ids.push_back(hit["id"]);
  }
  return ids;
}

/// Rows of a CSV export by their id.
std::map<std::string, std::vector<std::string>> rows_by_id(const std::string& csv) {
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& row : parse_csv(csv)) rows[row[0]] = row;
  return rows;
}

/// A GET on a plain socket whose receive buffer is kept small, so that the server must wait
/// for this client to read before it can write on: the rows are sent as they are read.
class SlowClient {
 public:
  SlowClient(int port, const std::string& target) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    const int small = 4096;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    const timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd_, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  }
  ~SlowClient() { ::close(fd_); }

  /// Reads until `bytes` have arrived in all, or the server closed; false if it stopped.
  bool read_until(std::size_t bytes) {
    char buffer[4096];
    // Bounded: each read waits at most the 10 s receive timeout, and the body is finite.
    for (int reads = 0; received_.size() < bytes && reads < 1000000; ++reads) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      received_.append(buffer, static_cast<std::size_t>(n));
    }
    return received_.size() >= bytes;
  }
  void read_to_end() { read_until(std::string::npos); }

  const std::string& received() const { return received_; }

  /// The body, chunked transfer coding undone; nullopt unless the final chunk arrived.
  std::optional<std::string> body() const {
    const std::size_t head_end = received_.find("\r\n\r\n");
    REQUIRE(head_end != std::string::npos);
    REQUIRE(received_.substr(0, head_end).find("Transfer-Encoding: chunked") != std::string::npos);
    std::string body;
    for (std::size_t at = head_end + 4; at < received_.size();) {
      const std::size_t line_end = received_.find("\r\n", at);
      if (line_end == std::string::npos) return std::nullopt;
      const std::size_t size = std::stoul(received_.substr(at, line_end - at), nullptr, 16);
      if (size == 0) return body;
      if (line_end + 2 + size > received_.size()) return std::nullopt;
      body += received_.substr(line_end + 2, size);
      at = line_end + 2 + size + 2;
    }
    return std::nullopt;
  }

 private:
  int fd_ = -1;
  std::string received_;
};

}  // namespace

TEST_CASE("CSV export: the whole result, streamed, with its count and header") {
  auto res = raw_get(port(), "/api/search.csv?q=vexmarl&sort=oldest");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(res->get_header_value("Transfer-Encoding") == "chunked");
  CHECK(res->get_header_value("X-Total-Count") == std::to_string(kArticles));
  CHECK(res->get_header_value("X-Export-Rows") == std::to_string(kArticles));
  CHECK(res->get_header_value("X-Export-Truncated") == "false");
  CHECK(res->get_header_value("Content-Disposition") == R"(attachment; filename="clippings-vexmarl.csv")");
  CHECK(res->body.size() > 4 * http::ExportJob::kChunkBytes);
  CHECK(res->body.starts_with("id,title,outlet,date,url,score,author,lang,indexed,snippet,group,copies\r\n"));
  const auto rows = parse_csv(res->body);
  REQUIRE(rows.size() == kArticles + 1);
  std::vector<std::string> ids;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == 12);
    ids.push_back(rows[i][0]);
  }
  CHECK(ids == page_order(port(), "q=vexmarl&sort=oldest"));
}

TEST_CASE("CSV export: author, language, indexing time and plain snippet columns") {
  auto res = raw_get(port(), "/api/search.csv?q=vexmarl&sort=oldest");
  REQUIRE(res);
  auto by_id = rows_by_id(res->body);
  REQUIRE(by_id.count("ex-0010"));
  const auto& row = by_id["ex-0010"];
  const Article a = export_article(10);
  CHECK(row[1] == a.title);
  CHECK(row[2] == "Valley Wire");
  CHECK(row[3] == "2020-01-06");
  CHECK(row[4] == "https://valley-wire.example/10");
  CHECK(row[6] == "Author 10");
  CHECK(row[7] == "de");
  CHECK(row[8] == "2024-06-03T10:15:00Z");
  // The snippet is plain text around the matches: no markup, the matched word in it.
  CHECK(row[9].starts_with("Vexmarl dispatch number 10. "));
  CHECK(row[9].find('<') == std::string::npos);
  CHECK(by_id["ex-0011"][7] == "en");
  CHECK(by_id["ex-0012"][4].empty());  // no URL
}

TEST_CASE("CSV export: cells that would start a spreadsheet formula are neutralised") {
  auto res = raw_get(port(), "/api/search.csv?q=vexmarl&sort=oldest");
  REQUIRE(res);
  auto by_id = rows_by_id(res->body);
  CHECK(by_id["ex-0001"][1] == "'=HYPERLINK(\"http://evil.example\",\"click\") vexmarl");
  CHECK(by_id["ex-0002"][1] == "'+1 vote for vexmarl");
  CHECK(by_id["ex-0003"][1] == "'-5 degrees at the vexmarl quay");
  CHECK(by_id["ex-0004"][1] == "'@SUM(A1:A9) vexmarl");
  CHECK(by_id["ex-0005"][1] == "'\tvexmarl, indented");
  CHECK(by_id["ex-0007"][6] == "'=cmd|' /C calc'!A0");
  CHECK(by_id["ex-0006"][1] == "Vexmarl report 6");
  // No cell anywhere starts a formula.
  for (const auto& [id, row] : by_id) {
    for (const auto& cell : row) {
      CAPTURE(cell);
      CHECK((cell.empty() || std::string_view{"=+-@\t\r"}.find(cell.front()) == std::string_view::npos));
    }
  }
}

TEST_CASE("CSV export: page and size still select a slice, in the same order") {
  auto whole = raw_get(port(), "/api/search.csv?q=vexmarl&sort=newest");
  auto slice = raw_get(port(), "/api/search.csv?q=vexmarl&sort=newest&page=2&size=1000");
  REQUIRE(whole);
  REQUIRE(slice);
  CHECK(slice->get_header_value("X-Total-Count") == std::to_string(kArticles));
  CHECK(slice->get_header_value("X-Export-Rows") == "1000");
  CHECK(slice->get_header_value("X-Export-Truncated") == "false");
  const auto all_rows = parse_csv(whole->body);
  const auto slice_rows = parse_csv(slice->body);
  REQUIRE(all_rows.size() == kArticles + 1);
  REQUIRE(slice_rows.size() == 1001);
  CHECK(slice_rows[0] == all_rows[0]);
  for (std::size_t i = 1; i <= 1000; ++i) CHECK(slice_rows[i][0] == all_rows[1000 + i][0]);
  auto error = raw_get(port(), "/api/search.csv?q=vexmarl&page=2");
  REQUIRE(error);
  CHECK(error->status == 400);
  CHECK(json_of(error)["error"]["param"] == "page");
  // Errors of the search itself are answered before any row.
  auto bad = raw_get(port(), "/api/search.csv?q=date%3A2022-13");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json_of(bad)["error"]["param"] == "q");
}

TEST_CASE("exports cut at server.max_export_rows say so, and where") {
  Config config = test_config(shared().dir / "db", shared().dir / "web");
  config.server.max_export_rows = 2000;
  InProcessServer capped{config};
  auto res = raw_get(capped.port(), "/api/search.csv?q=vexmarl&sort=oldest");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("X-Total-Count") == std::to_string(kArticles));
  CHECK(res->get_header_value("X-Export-Rows") == "2000");
  CHECK(res->get_header_value("X-Export-Truncated") == "true");
  const auto rows = parse_csv(res->body);
  REQUIRE(rows.size() == 2001);
  const auto expected = page_order(port(), "q=vexmarl&sort=oldest");
  CHECK(rows.back()[0] == expected[1999]);
  // The page learns the limit from the stats.
  CHECK(json_of(raw_get(capped.port(), "/api/stats"))["max_export_rows"] == 2000);
  auto small = raw_get(capped.port(), "/api/search.jsonl?q=vexmarl+ferry");
  REQUIRE(small);
  CHECK(small->get_header_value("X-Export-Truncated") == "false");
  CHECK(raw_get(capped.port(), "/api/search.csv?size=2001")->status == 400);
}

TEST_CASE("JSON Lines export: one object per article, every field, and re-indexable") {
  auto res = raw_get(port(), "/api/search.jsonl?q=vexmarl&sort=oldest");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/x-ndjson; charset=utf-8");
  CHECK(res->get_header_value("Content-Disposition") == R"(attachment; filename="clippings-vexmarl.jsonl")");
  CHECK(res->get_header_value("X-Export-Rows") == std::to_string(kArticles));
  const auto lines = parse_lines(res->body);
  REQUIRE(lines.size() == kArticles);
  std::vector<std::string> ids;
  for (const auto& line : lines) ids.push_back(line["id"]);
  CHECK(ids == page_order(port(), "q=vexmarl&sort=oldest"));
  std::map<std::string, json> by_id;
  for (const auto& line : lines) by_id[line["id"]] = line;
  const json& first = by_id["ex-0002"];
  const Article a = export_article(2);
  CHECK(first["title"] == a.title);  // no spreadsheet quoting here: it is data, not cells
  CHECK(first["title_html"] == "+1 vote for <mark>vexmarl</mark>");
  CHECK(first["outlet"] == a.outlet);
  CHECK(first["date"] == a.date);
  CHECK(first["url"] == a.url);
  CHECK(first["author"] == a.author);
  CHECK(first["lang"] == "en");
  CHECK(first["indexed"] == "2024-06-03T10:15:00Z");
  CHECK(first["score"].is_number());
  CHECK(first["snippet_html"].get<std::string>().find("<mark>") != std::string::npos);
  CHECK(first["text"] == a.text);
  CHECK(lines.back()["date"].is_null());  // undated last
  CHECK(by_id["ex-0004"]["url"].is_null());
  CHECK(by_id["ex-0010"]["lang"] == "de");

  // What was exported is input the indexer reads: the same articles, ids and all.
  TempDir dir;
  write_file(dir / "export.jsonl", res->body);
  const auto indexed = run_indexer(dir / "db", (dir / "export.jsonl").string());
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  Xapian::Database copy{(dir / "db").string()};
  CHECK(copy.get_doccount() == kArticles);
  CHECK(copy.term_exists(schema::id_term("ex-0001")));
}

TEST_CASE("a commit while an export is sent neither repeats nor drops a row") {
  // A copy of the database, so that the commit does not change what the other tests count.
  TempDir dir;
  fs::copy(shared().dir / "db", dir / "db", fs::copy_options::recursive);
  InProcessServer server{test_config(dir / "db", dir / "web")};
  const auto expected = page_order(server.port(), "q=vexmarl&sort=oldest");
  REQUIRE(expected.size() == kArticles);

  SlowClient client{server.port(), "/api/search.jsonl?q=vexmarl&sort=oldest"};
  // The headers and the first chunk; the server then waits for this client to read on.
  REQUIRE(client.read_until(http::ExportJob::kChunkBytes));
  REQUIRE(client.received().find("X-Export-Rows: " + std::to_string(kArticles)) != std::string::npos);
  commit_changes(dir / "db", 1);
  client.read_to_end();
  const auto body = client.body();
  REQUIRE_MESSAGE(body.has_value(), "the export ended without its final chunk");
  std::vector<std::string> ids;
  for (const auto& line : parse_lines(*body)) ids.push_back(line["id"]);
  CHECK(ids.size() == expected.size());
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  CHECK(ids == expected);
  // A new export sees the commit.
  auto after = raw_get(server.port(), "/api/search.csv?q=vexmarl&size=1");
  REQUIRE(after);
  CHECK(after->get_header_value("X-Total-Count") == std::to_string(kArticles + kAddedPerCommit - kDeletedPerCommit));
}

/// Where the committing format below commits, and how many rows it has written.
fs::path g_committing_db;
int g_rows_written = 0;

/// A format that writes ids, and while the export is being written, after its tenth row,
/// makes two commits: enough to overwrite the revision the export reads.
const http::ExportFormat kCommittingFormat{"txt", "text/plain", "", [](std::string& out, const StreamedHit& hit) {
  if (++g_rows_written == 10) {
    commit_changes(g_committing_db, 1);
    commit_changes(g_committing_db, 2);
  }
  out += hit.article.id + "\n";
}};
const http::ExportFormat kIdFormat{"txt", "text/plain", "", [](std::string& out, const StreamedHit& hit) {
  out += hit.article.id + "\n";
}};

/// The ids an export job writes in the kIdFormat or kCommittingFormat, and how it ended.
std::pair<std::vector<std::string>, http::ExportJob::Next> job_ids(http::ExportJob& job) {
  std::string text, chunk;
  auto next = http::ExportJob::Next::kChunk;
  for (int i = 0; i < 100000 && next == http::ExportJob::Next::kChunk; ++i) {
    next = job.next_chunk(chunk);
    if (next == http::ExportJob::Next::kChunk) text += chunk;
  }
  std::vector<std::string> ids;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);
    ids.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return {ids, next};
}

TEST_CASE("commits that overwrite the revision an export reads end it as a failed download") {
  TempDir dir;
  fs::copy(shared().dir / "db", dir / "db", fs::copy_options::recursive);
  const Config config = test_config(dir / "db", dir / "web");
  http::SearcherPool pool{config};
  const auto request = http::parse_export_params({{"q", "vexmarl"}, {"sort", "oldest"}}, config.server);
  REQUIRE(request.ok());
  const auto start = [&](const http::ExportFormat& format) {
    auto searcher = pool.acquire();
    auto stream = searcher->stream(request->search, request->offset, request->limit);
    REQUIRE(stream.ok());
    return std::make_unique<http::ExportJob>(format, std::move(searcher), std::move(*stream));
  };
  const auto [before, complete] = job_ids(*start(kIdFormat));
  CHECK(complete == http::ExportJob::Next::kEnd);
  REQUIRE(before.size() == kArticles);

  g_committing_db = dir / "db";
  g_rows_written = 0;
  const auto [ids, ended] = job_ids(*start(kCommittingFormat));
  // Two commits after the tenth row: the revision is gone before the last row was read. The
  // rows written are the start of the result as it was, and the end says the rest is missing.
  CHECK(ended == http::ExportJob::Next::kFailed);
  REQUIRE(ids.size() < before.size());
  CHECK(std::equal(ids.begin(), ids.end(), before.begin()));

  const auto [after, done] = job_ids(*start(kIdFormat));
  CHECK(done == http::ExportJob::Next::kEnd);
  CHECK(after.size() == kArticles + 2 * (kAddedPerCommit - kDeletedPerCommit));
}

TEST_CASE("the Atom feed puts the articles indexed last first, whatever their date") {
  auto res = raw_get(port(), "/api/search.atom?q=zorvath&outlet=Harbor+Ledger&from=1990&sort=oldest");
  REQUIRE(res);
  CHECK(res->status == 200);
  const std::string& xml = res->body;
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  CHECK_MESSAGE(doc != nullptr, xml);
  if (doc) xmlFreeDoc(doc);
  std::vector<std::string> titles;
  std::vector<std::string> updated;
  for (auto at = xml.find("<entry>"); at != std::string::npos; at = xml.find("<entry>", at + 1)) {
    const auto title = xml.find("<title type=\"text\">", at) + 19;
    titles.push_back(xml.substr(title, xml.find("</title>", title) - title));
    const auto time = xml.find("<updated>", at) + 9;
    updated.push_back(xml.substr(time, xml.find("</updated>", time) - time));
  }
  // The undated note and the 1998 find were indexed last; the legacy piece, newest by date
  // but indexed before indexing times were kept, comes last. from=1990 leaves out the undated.
  CHECK(titles == std::vector<std::string>{"Zorvath archive find from 1998", "Zorvath quay repairs",
                                           "Zorvath ferry timetable", "Zorvath pier opens",
                                           "Zorvath legacy piece"});
  CHECK(updated == std::vector<std::string>{"2024-06-03T11:15:00Z", "2024-06-03T10:15:00Z",
                                            "2024-06-03T10:15:00Z", "2024-06-03T10:15:00Z",
                                            "2024-05-01T00:00:00Z"});
  CHECK(xml.find("<published>1998-07-14T00:00:00Z</published>") != std::string::npos);
  // The feed changed when its newest entry was indexed.
  CHECK(xml.find("<updated>2024-06-03T11:15:00Z</updated>") < xml.find("<entry>"));
  // The alternate link is the same search on the search page.
  CHECK(xml.find("<link rel=\"alternate\" type=\"text/html\" href=\"http://127.0.0.1:" +
                 std::to_string(port()) + "/?q=zorvath&amp;outlet=Harbor%20Ledger&amp;from=1990\"/>") !=
        std::string::npos);

  auto all = raw_get(port(), "/api/search.atom?q=zorvath");
  REQUIRE(all);
  const auto first_entry = all->body.find("<entry>");
  CHECK(all->body.find("Zorvath undated note", first_entry) < all->body.find("Zorvath archive find", first_entry));
  CHECK(all->body.find("<link rel=\"alternate\" type=\"text/html\" href=\"http://127.0.0.1:" +
                       std::to_string(port()) + "/?q=zorvath\"/>") != std::string::npos);
  // sort=indexed gives the feed's order to the other endpoints too.
  const json body = json_of(raw_get(port(), "/api/search?q=zorvath&sort=indexed"));
  REQUIRE(body["hits"].size() == 6);
  CHECK(body["hits"][0]["id"] == "zv-undated");
  CHECK(body["hits"][5]["id"] == "zv-legacy");
}

TEST_CASE("articles are found by any form of their URL") {
  const std::string id = "https://harbor-ledger.example/2023/05/port-strike-ends";
  for (const std::string& form : std::vector<std::string>{id, "https://www.harbor-ledger.example/2023/05/port-strike-ends/",
                                 "http://harbor-ledger.example/2023/05/port-strike-ends",
                                 "HTTP://WWW.Harbor-Ledger.example/2023/05/port-strike-ends/?utm_source=x&fbclid=y#top",
                                 "www.harbor-ledger.example/2023/05/port-strike-ends"}) {
    CAPTURE(form);
    auto res = raw_get(port(), "/api/articles/" + http::percent_encode(form));
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json_of(res)["id"] == id);
    auto similar = raw_get(port(), "/api/articles/" + http::percent_encode(form) + "/similar");
    REQUIRE(similar);
    CHECK(similar->status == 200);
    const json body = json_of(similar);
    CHECK(body["id"] == id);
    for (const auto& hit : body["hits"]) CHECK(hit["id"] != id);
  }
  // An id kept with http: is found over https too.
  auto old = raw_get(port(), "/api/articles/" + http::percent_encode("https://www.old-wire.example/story/"));
  REQUIRE(old);
  CHECK(json_of(old)["id"] == "http://old-wire.example/story");
}

TEST_CASE("an unknown article's 404 names the whole id") {
  const std::string url =
      "https://www.harbor-ledger.example/2023/05/a-very-long-headline-that-goes-on-and-on-about-the-port-strike-and-its-end/";
  auto res = raw_get(port(), "/api/articles/" + http::percent_encode(url));
  REQUIRE(res);
  CHECK(res->status == 404);
  const std::string message = json_of(res)["error"]["message"];
  CHECK(message.find("'" + url + "'") != std::string::npos);
  CHECK(message.find("'https://harbor-ledger.example/2023/05/a-very-long-headline-that-goes-on-and-on-about-the-port-strike-and-its-end'") !=
        std::string::npos);
  auto plain = raw_get(port(), "/api/articles/no-such-article-with-a-rather-long-identifier-0123456789/similar");
  REQUIRE(plain);
  CHECK(plain->status == 404);
  CHECK(json_of(plain)["error"]["message"] ==
        "no article with id 'no-such-article-with-a-rather-long-identifier-0123456789'");
}

TEST_CASE("the indexer stamps when it first indexed each article") {
  TempDir dir;
  const auto seconds_now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  write_file(dir / "a.jsonl", R"({"id": "n-1", "title": "First", "text": "A first article."})" "\n");
  const auto before = seconds_now();
  REQUIRE(run_indexer(dir / "db", (dir / "a.jsonl").string()).exit_code == 0);
  const auto after = seconds_now();
  const auto stamped = [&dir](const std::string& id) {
    Xapian::Database db{(dir / "db").string()};
    const Xapian::docid docid = *db.postlist_begin(schema::id_term(id));
    return db.get_document(docid).get_value(schema::kSlotIndexed);
  };
  const std::string first = stamped("n-1");
  REQUIRE_FALSE(first.empty());
  const auto time = static_cast<std::int64_t>(Xapian::sortable_unserialise(first));
  CHECK(time >= before);
  CHECK(time <= after);
  // Indexed again, changed, into the existing database: it keeps its first time.
  {
    Xapian::WritableDatabase db{(dir / "db").string(), Xapian::DB_OPEN};
    Xapian::Document doc = db.get_document(*db.postlist_begin(schema::id_term("n-1")));
    doc.add_value(schema::kSlotIndexed, schema::indexed_value(1000));
    db.replace_document(schema::id_term("n-1"), doc);
    db.commit();
  }
  write_file(dir / "a.jsonl", R"({"id": "n-1", "title": "First, corrected", "text": "A first article, corrected."})" "\n");
  REQUIRE(run_indexer(dir / "db", (dir / "a.jsonl").string()).exit_code == 0);
  CHECK(stamped("n-1") == schema::indexed_value(1000));
}

}  // namespace clippings::test
