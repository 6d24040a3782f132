/// @file test_indexer.cpp
/// Whole runs in-process: counts, idempotent re-indexing, --prune, rejected input.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include <xapian.h>

#include "document.h"
#include "helpers.h"
#include "index/indexer.h"
#include "schema.h"
#include "search/searcher.h"
#include "support.h"

namespace clippings {
namespace {

namespace fs = std::filesystem;
using test::index;
using test::TempDir;
using test::write_file;

const fs::path kFixtures = fs::path{CLIPPINGS_TEST_DATA_DIR} / "index/articles";

std::string story(const std::string& title) {
  return "---\ntitle: " + title + "\n---\nThe " + title +
         " story: the parish council met on Tuesday and agreed to repair the bridge.\n";
}

TEST_CASE("a first run adds every article and a second one reading all replaces them and changes nothing") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    TempDir dir;
    Config config = test::index_config(dir / "db");
    config.indexer.threads = threads;
    test::CapturedLog log;
    const IndexStats first = index(config, {kFixtures.string()});
    CHECK(first.added == 4);
    CHECK(first.replaced == 0);
    CHECK(first.rejected == 0);
    CHECK(first.exit_code() == kExitOk);
    const auto ids = test::ids_in(dir / "db");
    CHECK(ids == std::multiset<std::string>{"https://courier.example.net/lindmoor/orchard-fair-record-crowd",
                                            "https://gazette.example.org/2023/04/17/harbour-lights-return",
                                            "tidewater-001", "tidewater-002"});

    const IndexStats second = index(config, {kFixtures.string()}, false, /*force=*/true);
    CHECK(second.added == 0);
    CHECK(second.replaced == 4);
    CHECK(test::ids_in(dir / "db") == ids);
    CHECK(test::doccount_of(dir / "db") == 4);
    // Spelling data written by every shard survives the merge, each word once.
    Xapian::Database db{(dir / "db").string()};
    CHECK(db.get_spelling_suggestion("pumpkn") == "pumpkin");
    CHECK(db.get_spelling_suggestion("lanterm") == "lantern");
    std::size_t words = 0, pumpkin = 0;
    for (auto it = db.spellings_begin(); it != db.spellings_end() && words < 100000; ++it, ++words) {
      if (*it == "pumpkin") pumpkin = it.get_termfreq();
    }
    CHECK(pumpkin == 2);  // once in the input; each run adds its counts
  }
}

TEST_CASE("articles repeated within one input keep the last version once") {
  TempDir dir;
  write_file(dir / "in/feed.jsonl",
             R"({"id": "n1", "title": "Draft", "text": "The early draft of the notice."})" "\n"
             R"({"id": "n2", "title": "Other", "text": "Another notice entirely."})" "\n"
             R"({"id": "n1", "title": "Final", "text": "The corrected final notice."})" "\n");
  const IndexStats stats = index(test::index_config(dir / "db"), {(dir / "in").string()});
  CHECK(stats.added == 2);
  CHECK(stats.replaced == 1);
  Xapian::Database db{(dir / "db").string()};
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq("draft") == 0);
  CHECK(db.get_termfreq("correct") == 1);
}

TEST_CASE("an article repeated in inputs that different threads index keeps its last version") {
  // One file per item, and item n goes to thread n mod 2: each version lands in its own shard,
  // and the one read last must win, whichever thread finished first.
  for (int versions : {2, 3, 4}) {
    CAPTURE(versions);
    TempDir dir;
    for (int v = 0; v < versions; ++v) {
      write_file(dir / "in" / ("feed-" + std::to_string(v) + ".jsonl"),
                 R"({"id": "n1", "title": "Notice", "text": "version)" + std::to_string(v) +
                     R"( of the notice"})" "\n" R"({"id": "other-)" + std::to_string(v) +
                     R"(", "title": "Other", "text": "Another notice."})" "\n");
    }
    Config config = test::index_config(dir / "db");
    config.indexer.threads = 2;
    const IndexStats stats = index(config, {(dir / "in").string()});
    CHECK(stats.added == static_cast<std::uint64_t>(versions) + 1);
    CHECK(stats.replaced == static_cast<std::uint64_t>(versions) - 1);
    Xapian::Database db{(dir / "db").string()};
    CHECK(db.get_doccount() == static_cast<Xapian::doccount>(versions) + 1);
    CHECK(db.get_termfreq("Qn1") == 1);
    CHECK(db.get_termfreq("version" + std::to_string(versions - 1)) == 1);
    for (int v = 0; v + 1 < versions; ++v) CHECK(db.get_termfreq("version" + std::to_string(v)) == 0);
  }
}

TEST_CASE("an existing database is updated in place: new ids added known ones replaced") {
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  write_file(dir / "a/one.txt", story("Bridge"));
  write_file(dir / "a/two.txt", story("Market"));
  CHECK(index(config, {(dir / "a").string()}).added == 2);
  write_file(dir / "a/three.txt", story("Ferry"));
  const IndexStats stats = index(config, {(dir / "a").string()});
  CHECK(stats.added == 1);
  CHECK(stats.unchanged == 2);
  const IndexStats forced = index(config, {(dir / "a").string()}, false, /*force=*/true);
  CHECK(forced.added == 0);
  CHECK(forced.replaced == 3);
  CHECK(test::ids_in(dir / "db") == std::multiset<std::string>{"one.txt", "three.txt", "two.txt"});
}

TEST_CASE("--prune deletes articles whose file is gone only under the given SOURCEs") {
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  write_file(dir / "a/keep.txt", story("Keep"));
  write_file(dir / "a/gone.txt", story("Gone"));
  write_file(dir / "b/elsewhere.txt", story("Elsewhere"));
  index(config, {(dir / "a").string(), (dir / "b").string()});
  REQUIRE(test::doccount_of(dir / "db") == 3);

  fs::remove(dir / "a/gone.txt");
  fs::remove(dir / "b/elsewhere.txt");
  const IndexStats without = index(config, {(dir / "a").string()});
  CHECK(without.deleted == 0);
  CHECK(test::doccount_of(dir / "db") == 3);

  const IndexStats pruned = index(config, {(dir / "a").string()}, true);
  CHECK(pruned.deleted == 1);
  CHECK(pruned.replaced == 1);
  // b/ was not a SOURCE of this run: its missing file is not this run's business.
  CHECK(test::ids_in(dir / "db") == std::multiset<std::string>{"elsewhere.txt", "keep.txt"});
}

TEST_CASE("bad input is rejected with its location and counted and the rest is indexed") {
  TempDir dir;
  Config config = test::index_config(dir / "db");
  config.indexer.max_file_bytes = 2000;
  write_file(dir / "in/good.txt", story("Good"));
  write_file(dir / "in/empty.txt", "");
  write_file(dir / "in/huge.txt", story(std::string(3000, 'x')));
  write_file(dir / "in/feed.jsonl",
             R"({"id": "j1", "title": "Fine", "text": "A fine line of news."})" "\n"
             R"({"id": "j2", "title": "Broken", "text": )" "\n"
             R"({"id": "j3", "title": "Also fine", "text": "More news."})" "\n");
  // Unreadable: a permission the owner lacks, or (as root, who reads anything) a dangling link.
  const fs::path unreadable = dir / "in/locked.txt";
  if (::geteuid() != 0) {
    write_file(unreadable, story("Locked"));
    ::chmod(unreadable.c_str(), 0);
  } else {
    fs::create_symlink(dir / "nowhere.txt", unreadable);
  }
  test::CapturedLog log;
  const IndexStats stats = index(config, {(dir / "in").string()});
  CHECK(stats.added == 3);
  CHECK(stats.rejected == 4);
  CHECK(stats.exit_code() == kExitRejected);
  const std::string text = log.text();
  CAPTURE(text);
  const std::string in = (dir / "in").string();
  CHECK(text.find("warning " + in + "/feed.jsonl:2: ") != std::string::npos);
  CHECK(text.find("warning " + in + "/empty.txt: empty file") != std::string::npos);
  CHECK(text.find("warning " + in + "/huge.txt: file is ") != std::string::npos);
  CHECK(text.find("warning " + in + "/locked.txt: cannot read: ") != std::string::npos);
  CHECK(test::ids_in(dir / "db") == std::multiset<std::string>{"good.txt", "j1", "j3"});
}

TEST_CASE("headlines without a body are indexed, found by a search and shown with their title") {
  TempDir dir;
  write_file(dir / "in/wire.jsonl",
             R"({"id": "wire-1", "title": "Kessel reservoir reaches record low", "outlet": "Valley Wire"})" "\n"
             R"({"id": "wire-2", "headline": "Tram drivers accept new schedule", "body": ""})" "\n"
             R"({"id": "wire-3", "body": "  "})" "\n");
  write_file(dir / "in/front.md", "---\ntitle: Eastgate library closes early\n---\n");
  write_file(dir / "in/listed.txt", "");
  write_file(dir / "in/catalog.csv", "file,title\nlisted.txt,Ferry timetable changes on Monday\n");
  write_file(dir / "in/page.html",
             "<html><head><title>Harbour crane toppled by gale</title></head><body></body></html>");
  const Config config = test::index_config(dir / "db");
  test::CapturedLog log;
  const IndexStats stats = index(config, {(dir / "in").string()});
  CAPTURE(log.text());
  CHECK(stats.added == 5);
  CHECK(stats.rejected == 1);  // wire-3: neither text nor title
  CHECK(log.text().find("wire.jsonl:3: no article text or title") != std::string::npos);

  Searcher searcher{config};
  const struct {
    const char* q;
    const char* title;
  } cases[] = {{"reservoir", "Kessel reservoir reaches record low"},
               {"tram schedule", "Tram drivers accept new schedule"},
               {"title:eastgate", "Eastgate library closes early"},
               {"ferry timetable", "Ferry timetable changes on Monday"},
               {"crane", "Harbour crane toppled by gale"}};
  for (const auto& c : cases) {
    const std::string q = c.q;
    CAPTURE(q);
    SearchRequest request;
    request.q = c.q;
    auto response = searcher.search(request);
    REQUIRE_MESSAGE(response.ok(), response.error().message);
    REQUIRE(response->total == 1);
    CHECK(response->hits[0].title == c.title);
    // The snippet is the title, its words marked (a title: query marks the title only).
    if (!q.starts_with("title:")) CHECK(response->hits[0].snippet_html.find("<mark>") != std::string::npos);
    auto view = searcher.article(response->hits[0].id, "");
    REQUIRE(view.ok());
    CHECK(view->article.text == c.title);
  }
}

TEST_CASE("a catalog that cannot be read is one rejection at its line, and its files are indexed") {
  TempDir dir;
  const fs::path malformed = fs::path{CLIPPINGS_TEST_DATA_DIR} / "ingest/catalog_malformed.csv";
  write_file(dir / "in/catalog.csv", test::read_file(malformed));
  write_file(dir / "in/one.txt", story("One"));
  write_file(dir / "in/two.txt", story("Two"));
  std::atomic<bool> stop{false};
  IndexOptions options;
  options.sources = {(dir / "in").string()};
  options.rejects_path = (dir / "rejects.tsv").string();
  auto stats = run_indexer(test::index_config(dir / "db"), options, stop);
  REQUIRE(stats.ok());
  CHECK(stats->added == 2);
  CHECK(stats->rejected == 1);
  const std::string rejects = test::read_file(dir / "rejects.tsv");
  CAPTURE(rejects);
  CHECK(rejects.starts_with("path\tline\tcode\treason\n" + (dir / "in/catalog.csv").string() +
                            "\t3\tinvalid_catalog\t"));
  CHECK(std::count(rejects.begin(), rejects.end(), '\n') == 2);
}

TEST_CASE("unsupported files are logged and counted as skipped which is not an error") {
  TempDir dir;
  write_file(dir / "in/story.txt", story("Story"));
  write_file(dir / "in/scan.pdf", "%PDF-1.4");
  test::CapturedLog log;
  const IndexStats stats = index(test::index_config(dir / "db"), {(dir / "in").string()});
  CHECK(stats.skipped == 1);
  CHECK(stats.added == 1);
  CHECK(stats.exit_code() == kExitOk);
  CHECK(log.text().find("scan.pdf: skipped (unsupported type)") != std::string::npos);
}

TEST_CASE("a catalog beside the files supplies their metadata and --catalog overrides it") {
  TempDir dir;
  write_file(dir / "in/notice.txt", story("Notice"));
  write_file(dir / "in/catalog.csv",
             "file,url,outlet\nnotice.txt,https://found.example.org/notice,Found Gazette\n");
  write_file(dir / "given.csv", "file,url,outlet\nnotice.txt,https://given.example.org/n,Given Post\n");
  const Config config = test::index_config(dir / "db");
  index(config, {(dir / "in").string()});
  CHECK(test::ids_in(dir / "db") == std::multiset<std::string>{"https://found.example.org/notice"});

  TempDir other;
  std::atomic<bool> stop{false};
  IndexOptions options;
  options.sources = {(dir / "in").string()};
  options.catalog = (dir / "given.csv").string();
  auto stats = run_indexer(test::index_config(other / "db"), options, stop);
  REQUIRE(stats.ok());
  CHECK(test::ids_in(other / "db") == std::multiset<std::string>{"https://given.example.org/n"});
}

TEST_CASE("fatal problems are errors not counts") {
  TempDir dir;
  write_file(dir / "file", "not a directory");
  std::atomic<bool> stop{false};
  IndexOptions options;
  options.sources = {(dir / "missing").string()};
  CHECK_FALSE(run_indexer(test::index_config(dir / "db"), options, stop).ok());
  write_file(dir / "in/a.txt", story("A"));
  options.sources = {(dir / "in").string()};
  CHECK_FALSE(run_indexer(test::index_config(dir / "file/db"), options, stop).ok());
  options.catalog = (dir / "no-catalog.csv").string();
  CHECK_FALSE(run_indexer(test::index_config(dir / "db"), options, stop).ok());
}

TEST_CASE("a run told to stop before it starts reads nothing and says it was interrupted") {
  TempDir dir;
  std::atomic<bool> stop{true};
  IndexOptions options;
  options.sources = {kFixtures.string()};
  auto stats = run_indexer(test::index_config(dir / "db"), options, stop);
  REQUIRE(stats.ok());
  CHECK(stats->interrupted);
  CHECK(stats->exit_code() == kExitInterrupted);
  CHECK(stats->added == 0);
  CHECK(test::doccount_of(dir / "db") == 0);
}

}  // namespace
}  // namespace clippings

namespace clippings {
namespace {

/// The id of a process that has exited (and been reaped): no process has it now.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

void write_shard(const fs::path& path, const std::vector<std::string>& ids) {
  fs::create_directories(path.parent_path());
  Xapian::WritableDatabase shard{path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC};
  DocumentBuilder builder{"en"};
  for (const auto& id : ids) {
    Article article;
    article.id = id;
    article.title = "Recovered " + id;
    article.text = "The parish council agreed to repair the bridge.";
    auto doc = builder.build(article);
    shard.replace_document(doc.id_term, doc.document);
  }
  shard.commit();
}

TEST_CASE("what a dead bulk load committed to its shards is kept by the next run, once") {
  TempDir dir;
  const fs::path db = dir / "db";
  // The target holds what the dead run's first shard committed; its other shards are in its
  // private directory, named after its process.
  write_shard(db, {"kept-1", "both"});
  const fs::path stale = dir / (".db.indexing-" + std::to_string(dead_pid()));
  write_shard(stale / "shard1", {"kept-2", "both", "input-1"});
  write_shard(stale / "shard2", {"kept-3"});
  fs::create_directories(stale / "shard3");
  write_file(stale / "shard3/iamglass", "not a database");  // a shard that cannot be read
  for (const char* id : {"input-1", "input-2"}) {
    write_file(dir / "in" / (std::string{id} + ".md"),
               "---\nid: " + std::string{id} + "\ntitle: Input\n---\nThe parish council met.\n");
  }

  test::CapturedLog log;
  const IndexStats stats = index(test::index_config(db), {(dir / "in").string()});
  CHECK(stats.rejected == 0);
  CHECK(test::ids_in(db) ==
        std::multiset<std::string>{"both", "input-1", "input-2", "kept-1", "kept-2", "kept-3"});
  CHECK_FALSE(fs::exists(stale));
  CHECK(log.text().find("shard3: the shard of an indexing run that did not finish cannot be "
                        "read") != std::string::npos);
  CHECK(log.text().find("shard1: 3 article(s) committed by an indexing run that did not finish, "
                        "kept") != std::string::npos);
}

TEST_CASE("the shards of a bulk load that is still running are not touched") {
  TempDir dir;
  const fs::path db = dir / "db";
  // Named after a live process (not this one: its own run uses that name).
  const fs::path live = dir / (".db.indexing-" + std::to_string(::getppid()));
  write_shard(live / "shard1", {"other-run"});
  write_file(dir / "in/input-1.md", story("One"));
  index(test::index_config(db), {(dir / "in").string()});
  CHECK(test::ids_in(db).count("other-run") == 0);
  CHECK(fs::exists(live / "shard1"));
}

}  // namespace
}  // namespace clippings
