/// @file test_spellings.cpp
/// A spelling dictionary made of other databases' dictionaries (clippings-indexer
/// --spelling-from), kept equal to their sum as they change.
#include <doctest/doctest.h>

#include <map>

#include <xapian.h>

#include "index/spellings.h"
#include "support.h"

namespace clippings {
namespace {

using test::TempDir;
using Words = std::map<std::string, Xapian::termcount>;

void write_words(const std::string& path, const Words& add, const Words& remove = {}) {
  Xapian::WritableDatabase db{path, Xapian::DB_CREATE_OR_OPEN};
  for (const auto& [word, count] : add) db.add_spelling(word, count);
  for (const auto& [word, count] : remove) db.remove_spelling(word, count);
  db.commit();
}

Words words_of(const std::string& path) {
  Xapian::Database db{path};
  Words words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) words[*it] = it.get_termfreq();
  return words;
}

TEST_CASE("the spelling dictionary holds the sum of its sources' and follows their changes") {
  TempDir dir;
  const std::string a = (dir / "a").string(), b = (dir / "b").string(), target = (dir / "spelling").string();
  write_words(a, {{"ferry", 3}, {"harbour", 1}});
  write_words(b, {{"ferry", 2}, {"lighthouse", 4}});

  const auto first = sync_spellings({a, b}, target);
  REQUIRE(first.ok());
  CHECK(words_of(target) == Words{{"ferry", 5}, {"harbour", 1}, {"lighthouse", 4}});
  CHECK(first->words == 3);
  CHECK(first->changed == 3);
  const auto revision = Xapian::Database{target}.get_revision();

  const auto again = sync_spellings({a, b}, target);
  REQUIRE(again.ok());
  CHECK(again->changed == 0);
  CHECK(Xapian::Database{target}.get_revision() == revision);  // nothing to commit

  // A word gone from every source goes; a count that changed is the new sum.
  write_words(a, {{"quillon", 2}}, {{"harbour", 1}, {"ferry", 1}});
  const auto updated = sync_spellings({a, b}, target);
  REQUIRE(updated.ok());
  CHECK(words_of(target) == Words{{"ferry", 4}, {"lighthouse", 4}, {"quillon", 2}});
  CHECK(updated->changed == 3);
  CHECK(updated->words == 3);
}

TEST_CASE("a spelling source that is no database is named") {
  TempDir dir;
  const auto result = sync_spellings({(dir / "missing").string()}, (dir / "spelling").string());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().status == 2);
  CHECK(result.error().message.find((dir / "missing").string() + ": cannot open the database") == 0);
}

TEST_CASE("a remote shard as a spelling source is refused: xapian-tcpsrv serves no dictionary") {
  TempDir dir;
  const auto result = sync_spellings({"search-2.internal:7021"}, (dir / "spelling").string());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().status == 2);
  CHECK(result.error().message.find("search-2.internal:7021: xapian-tcpsrv serves no spelling dictionary") == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "spelling"));
}

}  // namespace
}  // namespace clippings
