/// @file test_indexer_cli.cpp
/// The real clippings-indexer: exit codes, summary, stdin, and a search round trip.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "helpers.h"
#include "schema.h"
#include "support.h"

namespace clippings {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::TempDir;
using test::write_file;

const std::string kIndexer = CLIPPINGS_INDEXER_BIN;
const fs::path kFixtures = fs::path{CLIPPINGS_TEST_DATA_DIR} / "index/articles";
const fs::path kCorpus = fs::path{CLIPPINGS_TEST_DATA_DIR} / "corpus";

// An empty config file, so that no config.yaml of the working directory leaks in.
std::string empty_config(const TempDir& dir) {
  write_file(dir / "config.yaml", "");
  return (dir / "config.yaml").string();
}

test::CommandResult indexer(const TempDir& dir, std::vector<std::string> args,
                            const std::string& input = "") {
  std::vector<std::string> argv{kIndexer, "--config", empty_config(dir)};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, input);
}

TEST_CASE("exit code 0 and a summary on stdout when all input is indexed") {
  TempDir dir;
  const auto db = (dir / "db").string();
  auto result = indexer(dir, {"--db", db, kFixtures.string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("added 4, replaced 0, unchanged 0, rejected 0, deleted 0, skipped 0;") == 0);
  CHECK(test::doccount_of(dir / "db") == 4);

  result = indexer(dir, {"--db", db, "--quiet", kFixtures.string()});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("added 0, replaced 0, unchanged 3,") == 0);
  CHECK(result.err.empty());
}

TEST_CASE("--shard writes each article to one of the shards, and with --db it is refused") {
  TempDir dir;
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  auto result = indexer(dir, {"--shard", a, "--shard", b, kFixtures.string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("added 4, replaced 0, unchanged 0, rejected 0, deleted 0, skipped 0;") == 0);
  CHECK(test::doccount_of(dir / "a") + test::doccount_of(dir / "b") == 4);
  CHECK(test::doccount_of(dir / "a") > 0);
  CHECK(test::doccount_of(dir / "b") > 0);

  result = indexer(dir, {"--shard", a, "--shard", b, kFixtures.string()});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("added 0, replaced 0, unchanged 3,") == 0);

  result = indexer(dir, {"--shard", b, "--shard", a, kFixtures.string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("written as shard 2/2, and is given now as shard 1/2") != std::string::npos);
  result = indexer(dir, {"--shard", a, "--db", b, kFixtures.string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("excludes") != std::string::npos);
}

TEST_CASE("exit code 1 when some input is rejected each rejection as path:line: reason") {
  TempDir dir;
  write_file(dir / "in/feed.jsonl",
             R"({"id": "ok-1", "title": "Fine", "text": "The ferry runs at six."})" "\n"
             "{not json\n");
  write_file(dir / "in/empty.md", "");
  auto result = indexer(dir, {"--db", (dir / "db").string(), (dir / "in").string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find((dir / "in/feed.jsonl").string() + ":2: ") != std::string::npos);
  CHECK(result.err.find((dir / "in/empty.md").string() + ": empty file") != std::string::npos);
  CHECK(result.out.find("added 1, replaced 0, unchanged 0, rejected 2,") == 0);
}

/// Input with three kinds of rejection, one of them five times.
void write_bad_input(const TempDir& dir) {
  std::string feed = R"({"id": "ok-1", "title": "Fine", "text": "The ferry runs at six."})" "\n";
  for (int i = 0; i < 5; ++i) feed += "{not json\n";
  feed += R"({"id": "nothing"})" "\n";
  write_file(dir / "in/feed.jsonl", feed);
  write_file(dir / "in/empty.md", "");
}

TEST_CASE("--quiet: no line per rejected input, a summary by reason with examples, exit code 1") {
  TempDir dir;
  write_bad_input(dir);
  const std::string feed = (dir / "in/feed.jsonl").string();
  auto result = indexer(dir, {"--db", (dir / "db").string(), "--quiet", (dir / "in").string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("added 1, replaced 0, unchanged 0, rejected 7,") == 0);
  std::vector<std::string> lines;
  std::istringstream err{result.err};
  for (std::string line; std::getline(err, line);) lines.push_back(line.substr(line.find(' ', line.find(' ') + 1) + 1));
  CHECK(lines == std::vector<std::string>{
      "warning 7 input(s) rejected, by reason:",
      "warning   invalid_json: 5",
      "warning     " + feed + ":2: invalid JSON: parse error at line 1, column 3: syntax error while parsing object key - invalid literal; last read: '{no'; expected string literal",
      "warning     " + feed + ":3: invalid JSON: parse error at line 1, column 3: syntax error while parsing object key - invalid literal; last read: '{no'; expected string literal",
      "warning     " + feed + ":4: invalid JSON: parse error at line 1, column 3: syntax error while parsing object key - invalid literal; last read: '{no'; expected string literal",
      "warning   empty_file: 1",
      "warning     " + (dir / "in/empty.md").string() + ": empty file",
      "warning   missing_text: 1",
      "warning     " + feed + ":7: no article text or title: none of the fields text, body, content, article, maintext nor title, headline, name has a value",
  });

  // --log-level gives every line back.
  auto verbose = indexer(dir, {"--db", (dir / "db2").string(), "--quiet", "--log-level", "warn",
                               (dir / "in").string()});
  CHECK(verbose.exit_code == 1);
  for (int line = 2; line <= 7; ++line) {
    CHECK(verbose.err.find(feed + ":" + std::to_string(line) + ": ") != std::string::npos);
  }
}

TEST_CASE("--rejects FILE lists every rejected input: path, line, code and reason") {
  TempDir dir;
  write_bad_input(dir);
  const fs::path rejects = dir / "rejects.tsv";
  // One thread: the rejections are then found in input order.
  auto result = indexer(dir, {"--db", (dir / "db").string(), "--quiet", "--threads", "1",
                              "--rejects", rejects.string(), (dir / "in").string()});
  CHECK(result.exit_code == 1);
  const std::string feed = (dir / "in/feed.jsonl").string();
  std::string expected = "path\tline\tcode\treason\n" + (dir / "in/empty.md").string() +
                         "\t\tempty_file\tempty file\n";
  for (int line = 2; line <= 6; ++line) {
    expected += feed + "\t" + std::to_string(line) + "\tinvalid_json\tinvalid JSON: parse error at "
                "line 1, column 3: syntax error while parsing object key - invalid literal; last read: "
                "'{no'; expected string literal\n";
  }
  expected += feed + "\t7\tmissing_text\tno article text or title: none of the fields text, body, "
              "content, article, maintext nor title, headline, name has a value\n";
  CHECK(test::read_file(rejects) == expected);
  CHECK(result.err.find("(all of them in " + rejects.string() + ")") != std::string::npos);

  // Nothing rejected: the file holds the header only. A file that cannot be written is fatal.
  auto clean = indexer(dir, {"--db", (dir / "db3").string(), "--rejects", rejects.string(),
                             kFixtures.string()});
  CHECK(clean.exit_code == 0);
  CHECK(test::read_file(rejects) == "path\tline\tcode\treason\n");
  auto unwritable = indexer(dir, {"--db", (dir / "db4").string(), "--rejects",
                                  (dir / "no/such/dir.tsv").string(), kFixtures.string()});
  CHECK(unwritable.exit_code == 2);
  CHECK(unwritable.err.find("--rejects") != std::string::npos);
}

/// The indexer with CLIPPINGS_* variables set.
test::CommandResult indexer_with_env(const TempDir& dir, std::vector<std::string> env,
                                     std::vector<std::string> args, const std::string& input = "") {
  std::vector<std::string> argv{"/usr/bin/env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), {kIndexer, "--config", empty_config(dir)});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, input);
}

TEST_CASE("settings by environment: lists and mappings, a bad value named by its variable, a typo warned") {
  TempDir dir;
  auto shown = indexer_with_env(
      dir,
      {"CLIPPINGS_SERVER_CORS_ORIGINS=https://a.test,https://b.test",
       "CLIPPINGS_OUTLETS={wire.example: Valley Wire}", "CLIPPINGS_FIELDS_TEXT=[story, copy]",
       "CLIPPINGS_BOILERPLATE_LINES=['^x{1,2}$']"},
      {"--print-config"});
  CAPTURE(shown.err);
  REQUIRE(shown.exit_code == 0);
  const auto config = nlohmann::json::parse(shown.out);
  CHECK(config["server"]["cors_origins"] == nlohmann::json{"https://a.test", "https://b.test"});
  CHECK(config["outlets"]["wire.example"] == "Valley Wire");
  CHECK(config["fields"]["text"] == nlohmann::json{"story", "copy"});
  CHECK(config["boilerplate"]["lines"] == nlohmann::json{"^x{1,2}$"});

  // The variables are used by the run: the field name and the outlet come from them.
  auto run = indexer_with_env(
      dir, {"CLIPPINGS_OUTLETS={wire.example: Valley Wire}", "CLIPPINGS_FIELDS_TEXT=story",
            "CLIPPINGS_DATABSE=/nowhere"},
      {"--db", (dir / "db").string(), "-"},
      R"({"id": "w1", "title": "Dam opens", "story": "The dam opened.", "url": "https://wire.example/dam"})" "\n");
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("CLIPPINGS_DATABSE is not a setting and is ignored; did you mean CLIPPINGS_DATABASE?") !=
        std::string::npos);
  CHECK(Xapian::Database{(dir / "db").string()}.get_termfreq(schema::outlet_term("Valley Wire")) == 1);

  auto bad = indexer_with_env(dir, {"CLIPPINGS_SERVER_PORT=http"}, {"--db", (dir / "db").string(), kFixtures.string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "clippings-indexer: CLIPPINGS_SERVER_PORT: expected an integer from 1 to 65535, got 'http'\n");
}

TEST_CASE("with log_format json every line on stdout and stderr is a JSON object") {
  TempDir dir;
  write_bad_input(dir);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--db", (dir / "db").string(), (dir / "in").string(), kFixtures.string()},
           {"--db", (dir / "db").string(), "--quiet", (dir / "in").string(), kFixtures.string()},
           {"--db", (dir / "db").string(), (dir / "missing").string()}}) {
    auto result = indexer_with_env(dir, {"CLIPPINGS_LOG_FORMAT=json", "CLIPPINGS_OUTLEST={}"}, args);
    CAPTURE(result.out);
    CAPTURE(result.err);
    std::size_t lines = 0;
    for (const std::string* stream : {&result.out, &result.err}) {
      std::istringstream in{*stream};
      for (std::string line; std::getline(in, line); ++lines) {
        CAPTURE(line);
        const auto parsed = nlohmann::json::parse(line, nullptr, false);
        REQUIRE(parsed.is_object());
        CHECK(parsed.contains("time"));
        CHECK(parsed.contains("level"));
        CHECK(parsed.contains("message"));
      }
    }
    CHECK(lines >= 2);
  }
  auto result = indexer_with_env(dir, {"CLIPPINGS_LOG_FORMAT=json"},
                                 {"--db", (dir / "db5").string(), kFixtures.string()});
  const auto summary = nlohmann::json::parse(result.out);
  CHECK(summary["added"] == 4);
  CHECK(summary["unchanged"] == 0);
  CHECK(summary["message"].get<std::string>().starts_with("added 4, replaced 0, unchanged 0,"));
}

TEST_CASE("exit code 2 with the reason on stderr when the run cannot proceed") {
  TempDir dir;
  write_file(dir / "plain-file", "x");
  write_file(dir / "bad.yaml", "indexer:\n  batch_size: lots\n");
  const std::string db = (dir / "db").string();
  const struct {
    std::vector<std::string> args;
    const char* reason;
  } cases[] = {
      {{"--db", db, (dir / "missing").string()}, "missing: no such file or directory"},
      {{"--db", (dir / "plain-file/db").string(), kFixtures.string()}, "cannot open the database"},
      {{"--db", db, "--threads", "-3", kFixtures.string()}, "--threads"},
      {{"--db", db, "--no-such-flag", kFixtures.string()}, "no-such-flag"},
      {{"--db", db, "--log-level", "loud", kFixtures.string()}, "--log-level"},
      {{"--db", db}, "SOURCE"},
  };
  for (const auto& c : cases) {
    auto result = indexer(dir, c.args);
    CAPTURE(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(c.reason) != std::string::npos);
  }
  auto bad_config = run_command({kIndexer, "--config", (dir / "bad.yaml").string(), "--db", db,
                                 kFixtures.string()});
  CAPTURE(bad_config.err);
  CHECK(bad_config.exit_code == 2);
  CHECK(bad_config.err.find("batch_size") != std::string::npos);
}

TEST_CASE("--version and --help exit 0") {
  TempDir dir;
  auto version = indexer(dir, {"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("clippings-indexer") != std::string::npos);
  auto help = indexer(dir, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--batch-size") != std::string::npos);
}

TEST_CASE("- reads JSON Lines from stdin") {
  TempDir dir;
  const std::string input = test::generated_articles(250) + "\n" +
                            R"({"id": "gen-7", "title": "Council of Tidewater, revised", "text": "Revised minutes."})";
  auto result = indexer(dir, {"--db", (dir / "db").string(), "-"}, input);
  CAPTURE(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("added 250, replaced 1, unchanged 0, rejected 0,") == 0);
  const auto ids = test::ids_in(dir / "db");
  CHECK(ids.size() == 250);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 250);
  CHECK(Xapian::Database{(dir / "db").string()}.get_termfreq("revis") == 1);
}

TEST_CASE("unsupported files are reported at info level and counted as skipped") {
  TempDir dir;
  write_file(dir / "in/story.txt", "A short story about the quay and the boats.\n");
  write_file(dir / "in/photo.jpg", "\xff\xd8\xff");
  auto result = indexer(dir, {"--db", (dir / "db").string(), (dir / "in").string()});
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("photo.jpg: skipped (unsupported type)") != std::string::npos);
  CHECK(result.out.find("skipped 1;") != std::string::npos);
}

TEST_CASE("round trip: the test corpus and fixtures are searchable as the schema says") {
  TempDir dir;
  const fs::path db = dir / "db";
  auto result = indexer(dir, {"--db", db.string(), kCorpus.string(), kFixtures.string()});
  CAPTURE(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("added 11,") == 0);

  const auto source = [](const fs::path& dir, const char* name) {
    return (fs::absolute(dir) / name).lexically_normal().string();
  };
  CHECK(test::sources_matching(db, R"("section of the old stone wall")") ==
        std::set<std::string>{source(kCorpus, "03_harbour_wall.txt")});
  // The re-hosted copy is an article of its own.
  CHECK(test::sources_matching(db, R"("final departure at a quarter past four")") ==
        std::set<std::string>{source(kCorpus, "01_ferry_timetable.txt"),
                              source(kCorpus, "05_ferry_timetable_rehosted.txt")});
  // Boilerplate is not indexed: the donation appeal, the photo credits, the labels.
  for (const char* gone : {R"("small favor to ask")", R"("skerry pictures")", "advertisement",
                           R"("share this article")", R"("remind me later")"}) {
    CAPTURE(gone);
    CHECK(test::sources_matching(db, gone).empty());
  }
  CHECK(test::sources_matching(db, R"(title:"harbour lights")") ==
        std::set<std::string>{source(kFixtures, "harbour_lights.txt")});
  CHECK(test::sources_matching(db, "pumpkin").size() == 1);
  CHECK(test::sources_matching(db, "ferry AND crossing").size() == 4);

  for (const auto& [outlet, articles] : std::map<std::string, std::size_t>{
           {"Skerry Coast Herald", 2}, {"islandwire.example", 2}, {"Tidewater Evening Post", 2}}) {
    CAPTURE(outlet);
    const auto count = test::outlet_count(db, outlet);
    CHECK(count.values == articles);
    CHECK(count.term_frequency == articles);
  }
}

}  // namespace
}  // namespace clippings

namespace clippings {
namespace {

/// `count` copies of `part`.
std::string repeated(const std::string& part, std::size_t count) {
  std::string out;
  out.reserve(part.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += part;
  return out;
}

TEST_CASE("one bad file costs only itself: bombs next to good files, exit 1, each named") {
  TempDir dir;
  const fs::path in = dir / "in";
  // Good files in every format.
  write_file(in / "good.txt", "Ferry Timetable Changes\n\nThe winter ferry leaves at six.\n");
  write_file(in / "good.html",
             "<html><head><title>Lighthouse Repainted</title></head><body><article><p>The "
             "lighthouse keepers repainted the tower.</p></article></body></html>");
  write_file(in / "good.jsonl",
             R"({"id": "puffin", "title": "Puffin Count", "text": "The puffin count rose."})" "\n");
  // A JSON-LD block 200,000 deep in a 400 KB page overflowed the stack of the whole run.
  write_file(in / "jsonld-bomb.html",
             "<html><head><script type=\"application/ld+json\">" + std::string(200000, '[') +
                 std::string(200000, ']') +
                 "</script><title>Quay Wall Mended</title></head><body><p>The quay wall was "
                 "mended.</p></body></html>");
  write_file(in / "divs.html", "<html><body>" + repeated("<div>", 100000) + "Harbour seals" +
                                   repeated("</div>", 100000) + "</body></html>");
  write_file(in / "nested.jsonl", R"({"text": "x", "a": )" + std::string(200000, '[') +
                                      std::string(200000, ']') + "}\n");
  write_file(in / "yaml-bomb.md", "---\ntitle: " + std::string(100000, '[') + "\n---\nBody.\n");
  std::string noise(200 * 1024, '\0');
  std::uint32_t state = 88172645u;
  for (char& c : noise) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    c = static_cast<char>(state);
  }
  write_file(in / "noise.txt", noise);
  write_file(in / "noise.html", noise);
  write_file(in / "dated.jsonl",
             R"({"id": "dated", "date": 1e300, "text": "The ferry ran late."})" "\n");

  const fs::path db = dir / "db";
  auto result = indexer(dir, {"--db", db.string(), in.string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("added 6, replaced 0, unchanged 0, rejected 4,") == 0);
  const auto named = [&](const std::string& file, const std::string& reason) {
    return result.err.find((in / file).string() + reason) != std::string::npos;
  };
  CHECK(named("nested.jsonl:1: ", "JSON nested deeper than 64 levels"));
  // The line is where yaml-cpp stopped reading, which it may have read past.
  CHECK(named("yaml-bomb.md: ", "line "));
  CHECK(result.err.find(": invalid front matter: nested more than 499 levels deep") != std::string::npos);
  CHECK(named("noise.txt: ", "binary content, not text"));
  CHECK(named("noise.html: ", "binary content, not text"));
  // Indexed, with what was wrong with them.
  CHECK(named("jsonld-bomb.html: ", "JSON-LD nested deeper than 64 levels: ignored"));
  CHECK(named("divs.html: ", "HTML nested deeper than 512 elements"));
  CHECK(named("dated.jsonl:1: ", "date '1e+300' is not a valid date: ignored"));

  const auto source = [&](const char* name) { return (fs::absolute(in) / name).lexically_normal().string(); };
  CHECK(test::sources_matching(db, "winter") == std::set<std::string>{source("good.txt")});
  CHECK(test::sources_matching(db, "lighthouse") == std::set<std::string>{source("good.html")});
  CHECK(test::sources_matching(db, "puffin") == std::set<std::string>{source("good.jsonl")});
  CHECK(test::sources_matching(db, "quay") == std::set<std::string>{source("jsonld-bomb.html")});
  CHECK(test::sources_matching(db, "seals") == std::set<std::string>{source("divs.html")});
  CHECK(test::sources_matching(db, "late") == std::set<std::string>{source("dated.jsonl")});
}

TEST_CASE("a bad catalog row costs only its own file's metadata") {
  TempDir dir;
  const fs::path in = dir / "in";
  write_file(in / "catalog.csv",
             "file,title,outlet\n"
             "a.txt,Alpha Title,Harbour Post\n"
             "b.txt,\"Beta \"broken\" title,Harbour Post\n"
             "c.txt,Gamma Title,Harbour Post,extra\n"
             "d.txt,Delta Title,Harbour Post\n");
  for (const char* name : {"a.txt", "b.txt", "c.txt", "d.txt"}) {
    write_file(in / name, "The harbour master spoke on Tuesday about the new quay.\n");
  }
  const fs::path db = dir / "db";
  auto result = indexer(dir, {"--db", db.string(), in.string()});
  CAPTURE(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("added 4, replaced 0, unchanged 0, rejected 2,") == 0);
  CHECK(result.err.find((in / "catalog.csv").string() + ":3: ") != std::string::npos);
  CHECK(result.err.find((in / "catalog.csv").string() + ":4: expected 3 fields") != std::string::npos);
  CHECK(test::outlet_count(db, "Harbour Post").values == 2);
  CHECK(test::sources_matching(db, "title:alpha").size() == 1);
  CHECK(test::sources_matching(db, "title:delta").size() == 1);
}

}  // namespace
}  // namespace clippings
