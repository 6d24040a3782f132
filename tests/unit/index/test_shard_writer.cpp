/// @file test_shard_writer.cpp
/// Writing documents: batched commits, added vs replaced, spelling counts.
#include <doctest/doctest.h>

#include <xapian.h>

#include "document.h"
#include "index/shard_writer.h"
#include "schema.h"
#include "support.h"

namespace clippings {
namespace {

using test::TempDir;

Article article(const std::string& id, const std::string& text) {
  Article a;
  a.id = id;
  a.title = "Notice " + id;
  a.text = text;
  a.lang = "en";
  return a;
}

IndexedDocument doc(const std::string& id, const std::string& text) {
  return DocumentBuilder{"en"}.build(article(id, text));
}

TEST_CASE("documents become visible to readers one batch at a time") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  ShardWriter writer{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN},
                     ShardWriter::Mode::kIncremental, 3};
  Xapian::Database reader{path};
  const struct {
    int writes;
    Xapian::doccount visible;
  } steps[] = {{2, 0}, {1, 3}, {2, 3}, {1, 6}, {1, 6}};
  int written = 0;
  for (const auto& step : steps) {
    for (int i = 0; i < step.writes; ++i) {
      writer.write(doc("n" + std::to_string(written++), "the ferry sails at dawn"));
    }
    reader.reopen();
    CAPTURE(written);
    CHECK(reader.get_doccount() == step.visible);
  }
  writer.finish();
  reader.reopen();
  CHECK(reader.get_doccount() == 7);
}

TEST_CASE("an id already in the database is replaced not duplicated") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  {
    ShardWriter first{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN},
                      ShardWriter::Mode::kIncremental, 10};
    first.write(doc("a", "first version"));
    first.write(doc("b", "another notice"));
    first.finish();
    CHECK(first.added() == 2);
    CHECK(first.replaced() == 0);
  }
  ShardWriter second{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN},
                     ShardWriter::Mode::kIncremental, 10};
  second.write(doc("a", "second version"));
  second.write(doc("c", "a new notice"));
  second.finish();
  CHECK(second.added() == 1);
  CHECK(second.replaced() == 1);
  second.close();
  Xapian::Database db{path};
  CHECK(db.get_doccount() == 3);
  CHECK(db.get_termfreq("Qa") == 1);
  CHECK(db.get_termfreq("second") == 1);
  CHECK(db.get_termfreq("first") == 0);
}

TEST_CASE("a bulk writer replaces an id repeated within its own input") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  ShardWriter writer{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN},
                     ShardWriter::Mode::kBulk, 2};
  writer.write(doc("x", "early draft"));
  writer.write(doc("y", "unrelated"));
  writer.write(doc("x", "final text"));
  writer.finish();
  CHECK(writer.added() == 2);
  CHECK(writer.replaced() == 1);
  writer.close();
  Xapian::Database db{path};
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq("draft") == 0);
  CHECK(db.get_termfreq("final") == 1);
}

Xapian::doccount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    if (*it == word) return it.get_termfreq();
  }
  return 0;
}

TEST_CASE("spelling counts are summed over documents and added to the database") {
  for (const auto mode : {ShardWriter::Mode::kBulk, ShardWriter::Mode::kIncremental}) {
    TempDir dir;
    const std::string path = (dir / "db").string();
    ShardWriter writer{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN}, mode, 2};
    const std::pair<const char*, const char*> docs[] = {
        {"1", "lighthouse keepers"}, {"2", "lighthouse lighthouse"}, {"3", "keepers"}};
    for (const auto& [id, text] : docs) {
      DocumentBuilder builder{"en"};
      IndexedDocument built = builder.build(article(id, text), /*count_spelling=*/true);
      writer.count_spelling(builder.take_spelling());
      writer.write(std::move(built));
    }
    writer.finish();
    writer.close();
    Xapian::Database db{path};
    CHECK(spelling_frequency(db, "lighthouse") == 3);
    CHECK(spelling_frequency(db, "keepers") == 2);
    CHECK(spelling_frequency(db, "notice") == 3);  // from the titles
    CHECK(db.get_spelling_suggestion("lighthous") == "lighthouse");
  }
}

TEST_CASE("a writer running on a queue writes everything and commits at the end") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  ShardWriter writer{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN},
                     ShardWriter::Mode::kBulk, 100};
  BoundedQueue<DocumentBatch> queue{2};
  DocumentBatch batch;
  batch.documents.push_back(doc("q1", "queued notice"));
  batch.documents.push_back(doc("q2", "queued notice"));
  batch.spelling = {{"queued", 2}};
  REQUIRE(queue.push(std::move(batch)));
  queue.close();
  writer.run(queue);
  CHECK_FALSE(writer.failed());
  CHECK(writer.written() == 2);
  writer.close();
  const Xapian::Database db{path};
  CHECK(db.get_doccount() == 2);
  CHECK(spelling_frequency(db, "queued") == 2);
}

TEST_CASE("re-indexing an article keeps the time it was first indexed") {
  TempDir dir;
  const std::string path = (dir / "db").string();
  const auto stamped = [](const std::string& id, std::int64_t time) {
    DocumentBuilder builder{"en"};
    builder.set_indexed_time(time);
    return builder.build(article(id, "a notice"));
  };
  ShardWriter writer{Xapian::WritableDatabase{path, Xapian::DB_CREATE_OR_OPEN},
                     ShardWriter::Mode::kIncremental, 10};
  writer.write(stamped("kept", 100));
  writer.write(doc("legacy", "indexed before times were kept"));
  writer.commit();
  writer.write(stamped("kept", 200));
  writer.write(stamped("legacy", 200));
  writer.write(stamped("new", 200));
  writer.finish();
  writer.close();
  const Xapian::Database db{path};
  const auto value_of = [&db](const std::string& id) {
    return db.get_document(*db.postlist_begin(schema::id_term(id))).get_value(schema::kSlotIndexed);
  };
  CHECK(db.get_doccount() == 3);
  CHECK(value_of("kept") == schema::indexed_value(100));
  CHECK(value_of("legacy").empty());
  CHECK(value_of("new") == schema::indexed_value(200));
}

}  // namespace
}  // namespace clippings
