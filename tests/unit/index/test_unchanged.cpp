/// @file test_unchanged.cpp
/// Runs over files indexed before: unchanged ones are skipped, changed ones read again.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "helpers.h"
#include "index/fingerprint.h"
#include "index/indexer.h"
#include "schema.h"
#include "support.h"

namespace clippings {
namespace {

namespace fs = std::filesystem;
using test::index;
using test::TempDir;
using test::write_file;

const fs::path kFixtures = fs::path{CLIPPINGS_TEST_DATA_DIR} / "index/articles";

/// A copy of the fixtures (three files, four articles) dated an hour ago, as files are that
/// were not written just before a run.
fs::path old_copy_of_fixtures(const TempDir& dir) {
  const fs::path copy = dir / "in";
  fs::copy(kFixtures, copy, fs::copy_options::recursive);
  for (const auto& entry : fs::recursive_directory_iterator{copy}) {
    fs::last_write_time(entry.path(), fs::file_time_type::clock::now() - std::chrono::hours{1});
  }
  return copy;
}

/// Whether the database holds a document with this (stemmed) term.
bool has_term(const fs::path& db, const std::string& term) {
  return Xapian::Database{db.string()}.term_exists(term);
}

TEST_CASE("a second run over the same files adds and replaces nothing and says they are unchanged") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    TempDir dir;
    Config config = test::index_config(dir / "db");
    config.indexer.threads = threads;
    const fs::path in = old_copy_of_fixtures(dir);
    const IndexStats first = index(config, {in.string()});
    CHECK(first.added == 4);
    CHECK(first.unchanged == 0);

    const IndexStats second = index(config, {in.string()});
    CHECK(second.added == 0);
    CHECK(second.replaced == 0);
    CHECK(second.unchanged == 3);
    CHECK(second.summary().starts_with("added 0, replaced 0, unchanged 3, rejected 0,"));
    CHECK(test::doccount_of(dir / "db") == 4);
  }
}

TEST_CASE("size and time unchanged: the file is skipped without being read") {
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  const fs::path in = old_copy_of_fixtures(dir);
  index(config, {in.string()});
  // Same size, other bytes, and the old time put back: only reading would tell.
  const fs::path file = in / "harbour_lights.txt";
  const auto time = fs::last_write_time(file);
  std::string text = test::read_file(file);
  text.replace(text.find("lanterns"), 8, "lanternz");
  write_file(file, text);
  fs::last_write_time(file, time);
  const IndexStats second = index(config, {in.string()});
  CHECK(second.unchanged == 3);
  CHECK(second.replaced == 0);
  CHECK_FALSE(has_term(dir / "db", "lanternz"));
  // --force reads every file.
  const IndexStats forced = index(config, {in.string()}, false, true);
  CHECK(forced.unchanged == 0);
  CHECK(forced.replaced == 4);
  CHECK(has_term(dir / "db", "lanternz"));
}

TEST_CASE("a touched file is read, found unchanged by its bytes, and skipped") {
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  const fs::path in = old_copy_of_fixtures(dir);
  index(config, {in.string()});
  fs::last_write_time(in / "tidewater.jsonl", fs::file_time_type::clock::now());
  fs::last_write_time(in / "orchard_fair.html", fs::file_time_type::clock::now());
  const IndexStats second = index(config, {in.string()});
  CHECK(second.added == 0);
  CHECK(second.replaced == 0);
  CHECK(second.unchanged == 3);
  CHECK(second.bytes > 0);  // the touched files were read, to hash them
}

TEST_CASE("a changed file is read again, and only it") {
  const struct {
    const char* file;
    std::uint64_t articles;
  } cases[] = {{"harbour_lights.txt", 1}, {"orchard_fair.html", 1}, {"tidewater.jsonl", 2}};
  for (const auto& c : cases) {
    CAPTURE(c.file);
    TempDir dir;
    const Config config = test::index_config(dir / "db");
    const fs::path in = old_copy_of_fixtures(dir);
    index(config, {in.string()});
    const fs::path file = in / c.file;
    std::string text = test::read_file(file);
    // Same size, so that only the time or the bytes can tell: a word near the end changes.
    const std::size_t at = text.rfind(" the ");
    REQUIRE(at != std::string::npos);
    text.replace(at, 5, " qzx ");
    write_file(file, text);
    const IndexStats second = index(config, {in.string()});
    CHECK(second.added == 0);
    CHECK(second.replaced == c.articles);
    CHECK(second.unchanged == 2);
    CHECK(has_term(dir / "db", "qzx"));
    // And the run after that finds it unchanged again.
    CHECK(index(config, {in.string()}).unchanged == 3);
  }
}

TEST_CASE("a new catalog row or other extraction settings make a file be read again") {
  TempDir dir;
  Config config = test::index_config(dir / "db");
  const fs::path in = old_copy_of_fixtures(dir);
  index(config, {in.string()});
  write_file(in / "catalog.csv", "file,outlet\norchard_fair.html,Catalogued Post\n");
  const IndexStats catalogued = index(config, {in.string()});
  CHECK(catalogued.replaced == 1);
  CHECK(catalogued.unchanged == 2);
  CHECK(Xapian::Database{(dir / "db").string()}.get_termfreq(schema::outlet_term("Catalogued Post")) == 1);

  config.outlets["courier.example.net"] = "Lindmoor Courier Renamed";
  const IndexStats reconfigured = index(config, {in.string()});
  CHECK(reconfigured.replaced == 4);
  CHECK(reconfigured.unchanged == 0);

  // So does the indexing scheme: a file indexed under another has its words in other forms.
  CHECK(nlohmann::json::parse(extraction_settings(config))["scheme"] == schema::kIndexScheme);
}

TEST_CASE("a file with a rejected input is read again and its rejection told again") {
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  write_file(dir / "in/feed.jsonl",
             R"({"id": "ok-1", "title": "Fine", "text": "The ferry runs at six."})" "\n"
             "{not json\n");
  write_file(dir / "in/good.txt", "The quay reopens on Monday after repairs.\n");
  const IndexStats first = index(config, {(dir / "in").string()});
  CHECK(first.rejected == 1);
  const IndexStats second = index(config, {(dir / "in").string()});
  CHECK(second.rejected == 1);
  CHECK(second.replaced == 1);
  CHECK(second.unchanged == 1);
  CHECK(second.exit_code() == kExitRejected);
}

TEST_CASE("--prune forgets a deleted file, which is indexed again when it comes back") {
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  const fs::path in = old_copy_of_fixtures(dir);
  index(config, {in.string()});
  const std::string saved = test::read_file(in / "harbour_lights.txt");
  fs::remove(in / "harbour_lights.txt");
  const IndexStats pruned = index(config, {in.string()}, true);
  CHECK(pruned.deleted == 1);
  CHECK(test::doccount_of(dir / "db") == 3);
  CHECK(load_fingerprints(Xapian::Database{(dir / "db").string()}).size() == 2);

  write_file(in / "harbour_lights.txt", saved);
  const IndexStats back = index(config, {in.string()}, true);
  CHECK(back.added == 1);
  CHECK(back.unchanged == 2);
  CHECK(test::doccount_of(dir / "db") == 4);
}

TEST_CASE("the change mark moves with each run that changes articles, and with no other") {
  for (int threads : {1, 2}) {  // the first run a bulk load with 2, then incremental runs
    CAPTURE(threads);
    TempDir dir;
    Config config = test::index_config(dir / "db");
    config.indexer.threads = threads;
    const auto mark = [&dir] {
      return Xapian::Database{(dir / "db").string()}.get_metadata(std::string{schema::kMetaChange});
    };
    const fs::path in = old_copy_of_fixtures(dir);
    index(config, {in.string()});
    const std::string first = mark();
    CHECK(first.size() == 32);
    CHECK(index(config, {in.string()}).unchanged == 3);
    CHECK(mark() == first);

    std::string text = test::read_file(in / "harbour_lights.txt");
    text.replace(text.rfind(" the "), 5, " qzx ");
    write_file(in / "harbour_lights.txt", text);
    CHECK(index(config, {in.string()}).replaced == 1);
    const std::string replaced = mark();
    CHECK(replaced != first);
    CHECK(replaced.size() == 32);

    fs::remove(in / "harbour_lights.txt");
    CHECK(index(config, {in.string()}, true).deleted == 1);
    CHECK(mark() != replaced);
  }
}

TEST_CASE("after --prune deletes an article, an unchanged file with the same id brings it back") {
  // Two exports hold the same article; the later one's copy is indexed. When that export is
  // deleted, the article must not vanish while the other export still holds it.
  TempDir dir;
  const Config config = test::index_config(dir / "db");
  write_file(dir / "in/a.jsonl", R"({"id": "shared", "title": "Shared", "text": "From export a."})" "\n");
  write_file(dir / "in/b.jsonl", R"({"id": "shared", "title": "Shared", "text": "From export b."})" "\n");
  write_file(dir / "in/c.jsonl", R"({"id": "other", "title": "Other", "text": "Another story."})" "\n");
  index(config, {(dir / "in").string()});
  fs::remove(dir / "in/b.jsonl");
  const IndexStats pruned = index(config, {(dir / "in").string()}, true);
  CHECK(pruned.deleted == 1);
  CHECK(test::ids_in(dir / "db") == std::multiset<std::string>{"other", "shared"});
  CHECK(Xapian::Database{(dir / "db").string()}.get_termfreq("export") == 1);
}

TEST_CASE("fingerprints are stored under the schema's key and read back") {
  Fingerprint f;
  f.size = 1234;
  f.mtime_ns = 1'700'000'000'123'456'789;
  f.read_ns = 1'700'000'100'000'000'000;
  f.content_hash = "00112233445566778899aabbccddeeff";
  f.settings_hash = "0123456789abcdef";
  const std::string path = "/articles/with\ttab/a.txt";
  auto decoded = decode_fingerprint(encode_fingerprint(f, path));
  REQUIRE(decoded);
  CHECK(decoded->first == path);
  CHECK(decoded->second.size == f.size);
  CHECK(decoded->second.mtime_ns == f.mtime_ns);
  CHECK(decoded->second.read_ns == f.read_ns);
  CHECK(decoded->second.content_hash == f.content_hash);
  CHECK(decoded->second.settings_hash == f.settings_hash);
  CHECK_FALSE(decode_fingerprint("2\t1\t2\t3\ta\tb\t/x"));
  CHECK_FALSE(decode_fingerprint("1\tbig\t2\t3\ta\tb\t/x"));
  CHECK_FALSE(decode_fingerprint("1\t1\t2\t3\ta\tb"));

  // A time stamp within seconds of the read cannot vouch for the bytes.
  CHECK(f.same_by_stat(1234, f.mtime_ns));
  CHECK_FALSE(f.same_by_stat(1235, f.mtime_ns));
  CHECK_FALSE(f.same_by_stat(1234, f.mtime_ns + 1));
  Fingerprint racy = f;
  racy.read_ns = f.mtime_ns + 1'000'000'000;
  CHECK_FALSE(racy.same_by_stat(1234, f.mtime_ns));

  ContentHash hash;
  hash.update("hello ");
  hash.update("world");
  ContentHash whole;
  whole.update("hello world");
  CHECK(hash.hex() == whole.hex());
  CHECK(hash.hex().size() == 32);
  CHECK(settings_digest("a").size() == 16);
  CHECK(settings_digest("a") != settings_digest("b"));
}

}  // namespace
}  // namespace clippings
