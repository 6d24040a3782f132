/// @file test_near_duplicates.cpp
/// Groups of copies in the database: the same groups whether the articles come in one bulk
/// load or one by one, and kept right when articles are replaced or deleted.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "helpers.h"
#include "index/near_duplicates.h"
#include "index/shard_layout.h"
#include "schema.h"
#include "support.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;

/// A made-up text of `count` words from a fixed seed.
std::vector<std::string> story(unsigned seed, int count = 300) {
  std::mt19937 random{seed};
  std::uniform_int_distribution<int> pick{0, 4999};
  std::vector<std::string> words;
  for (int i = 0; i < count; ++i) words.push_back("w" + std::to_string(pick(random)));
  return words;
}

/// `words` with every `every`-th word from `from` on replaced.
std::string edited(std::vector<std::string> words, int from, int every) {
  for (std::size_t i = static_cast<std::size_t>(from); i < words.size(); i += static_cast<std::size_t>(every)) {
    words[i] = "edit" + std::to_string(i);
  }
  std::string text;
  for (const auto& word : words) text += word + " ";
  return text;
}

/// Writes one article as a JSON Lines file of its own, so that deleting the file deletes it.
void write_article(const fs::path& dir, const std::string& id, const std::string& text) {
  std::ofstream out{dir / (id + ".jsonl")};
  out << nlohmann::json{{"id", id}, {"title", "Story " + id}, {"outlet", "Outlet " + id}, {"text", text}}.dump()
      << "\n";
}

/// Three stories: "a" with three copies, "b" with one, "c" alone.
std::map<std::string, std::string> articles() {
  return {
      {"a1", edited(story(1), 0, 1000)},  {"a2", edited(story(1), 5, 40)}, {"a3", edited(story(1), 11, 33)},
      {"a4", edited(story(1), 2, 45)},    {"b1", edited(story(2), 0, 1000)}, {"b2", edited(story(2), 3, 30)},
      {"c1", edited(story(3), 0, 1000)},
  };
}

std::string joined(const std::vector<std::string>& terms) {
  std::string text;
  for (const auto& term : terms) text += term + " ";
  return text;
}

/// The database `config` writes: one, or with shards each of them.
std::vector<fs::path> databases(const Config& config) {
  if (config.shards.empty()) return {config.database};
  return {config.shards.begin(), config.shards.end()};
}

/// One database at dir/db, or `shards` shards at dir/shard0, dir/shard1...
Config layout(const fs::path& dir, std::size_t shards) {
  Config config = index_config(dir / "db");
  for (std::size_t i = 0; i < shards; ++i) config.shards.push_back((dir / ("shard" + std::to_string(i))).string());
  return config;
}

/// articles() written into `dir`/in and indexed in one run into the layout of `shards`
/// shards (0: one database) in `dir`.
Config bulk_loaded(const fs::path& dir, std::size_t shards) {
  fs::create_directories(dir / "in");
  for (const auto& [id, text] : articles()) write_article(dir / "in", id, text);
  Config config = layout(dir, shards);
  index(config, {(dir / "in").string()});
  return config;
}

/// Article id -> its group ("" for none), read from the databases `config` writes; every
/// group's list of articles is checked against the articles that name it, in whichever shard
/// they are, and each list is kept once, in the first.
std::map<std::string, std::string> groups_in(const Config& config) {
  std::map<std::string, std::string> groups;
  std::map<std::string, std::vector<std::string>> members;
  std::size_t lists = 0;
  const std::vector<fs::path> paths = databases(config);
  for (const fs::path& path : paths) {
    Xapian::Database db{path.string()};
    const std::string prefix{schema::kPrefixId};
    for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
      const Xapian::docid did = *db.postlist_begin(*term);
      const std::string group = db.get_document(did).get_value(schema::kSlotGroup);
      groups[(*term).substr(prefix.size())] = group;
      if (!group.empty()) members[schema::group_metadata_key(group)].push_back(*term);
    }
  }
  Xapian::Database first{paths.front().string()};
  const std::string group_prefix{schema::kMetadataGroupPrefix};
  for (auto key = first.metadata_keys_begin(group_prefix); key != first.metadata_keys_end(group_prefix);
       ++key, ++lists) {
    auto listed = schema::decode_group_members(first.get_metadata(*key));
    std::sort(listed.begin(), listed.end());
    std::sort(members[*key].begin(), members[*key].end());
    const std::string detail = *key + " lists " + joined(listed) + "; named by " + joined(members[*key]);
    CHECK_MESSAGE(listed == members[*key], detail);
  }
  for (std::size_t i = 1; i < paths.size(); ++i) {
    Xapian::Database other{paths[i].string()};
    CHECK(other.metadata_keys_begin(group_prefix) == other.metadata_keys_end(group_prefix));
  }
  CHECK(lists == members.size());
  return groups;
}

std::map<std::string, std::string> groups_in(const fs::path& db) { return groups_in(index_config(db)); }

/// The shards (numbers) that hold the articles of `ids`, when written into `shards` of them.
std::set<std::size_t> shards_of(const std::vector<std::string>& ids, std::size_t shards) {
  std::set<std::size_t> used;
  for (const auto& id : ids) used.insert(shard_of(id, shards));
  return used;
}

/// The groups a bulk load of `ids` makes.
std::map<std::string, std::string> bulk_groups(const std::vector<std::string>& ids) {
  TempDir dir;
  fs::create_directories(dir / "in");
  const auto all = articles();
  for (const auto& id : ids) write_article(dir / "in", id, all.at(id));
  index(index_config(dir / "db"), {(dir / "in").string()});
  return groups_in(dir / "db");
}

}  // namespace

TEST_CASE("copies are grouped under their smallest id, other texts are not") {
  const auto groups = bulk_groups({"a1", "a2", "a3", "a4", "b1", "b2", "c1"});
  const std::map<std::string, std::string> expected = {
      {"a1", "a1"}, {"a2", "a1"}, {"a3", "a1"}, {"a4", "a1"}, {"b1", "b1"}, {"b2", "b1"}, {"c1", ""}};
  CHECK(groups == expected);
}

namespace {

/// Indexed one at a time into one database or into `shards` shards, articles make the groups
/// a bulk load into one database makes.
void check_one_at_a_time(std::size_t shards) {
  const std::vector<std::string> order = {"c1", "a3", "b2", "a4", "a2", "b1", "a1"};
  TempDir dir;
  fs::create_directories(dir / "in");
  const auto all = articles();
  const Config config = layout(dir.path(), shards);
  for (const auto& id : order) {
    write_article(dir / "in", id, all.at(id));
    index(config, {(dir / "in" / (id + ".jsonl")).string()});
  }
  CHECK(groups_in(config) == bulk_groups(order));
}

/// Replacing or deleting an article, in one database or in `shards` shards, regroups the rest
/// as a bulk load of them into one database would.
void check_replacing_and_deleting(std::size_t shards) {
  TempDir dir;
  const Config config = bulk_loaded(dir.path(), shards);
  REQUIRE(groups_in(config).at("a2") == "a1");

  SUBCASE("the article naming the group deleted") {
    fs::remove(dir / "in" / "a1.jsonl");
    index(config, {(dir / "in").string()}, /*prune=*/true);
    const auto groups = groups_in(config);
    CHECK(groups.at("a2") == "a2");
    CHECK(groups.at("a3") == "a2");
    CHECK(groups == bulk_groups({"a2", "a3", "a4", "b1", "b2", "c1"}));
  }
  SUBCASE("a copy replaced by another text leaves its group, and a group of one is none") {
    write_article(dir / "in", "b2", edited(story(9), 0, 1000));
    index(config, {(dir / "in" / "b2.jsonl").string()});
    const auto groups = groups_in(config);
    CHECK(groups.at("b1") == "");
    CHECK(groups.at("b2") == "");
    CHECK(groups.at("a1") == "a1");
  }
  SUBCASE("a copy replaced by an edited version of itself stays in its group") {
    // The new version comes without its group while the group's list still names it.
    write_article(dir / "in", "a3", edited(story(1), 13, 31));
    index(config, {(dir / "in" / "a3.jsonl").string()});
    const auto groups = groups_in(config);
    CHECK(groups.at("a3") == "a1");
    CHECK(groups == bulk_groups({"a1", "a2", "a3", "a4", "b1", "b2", "c1"}));
  }
  SUBCASE("an article replaced by a copy of another story moves to that group") {
    write_article(dir / "in", "c1", edited(story(2), 7, 50));
    index(config, {(dir / "in" / "c1.jsonl").string()});
    const auto groups = groups_in(config);
    CHECK(groups.at("c1") == "b1");
    CHECK(groups.at("b2") == "b1");
  }
}

}  // namespace

TEST_CASE("grouping sets the change mark when an article's group changes, and only then") {
  TempDir dir;
  const Config config = bulk_loaded(dir.path(), 0);
  Xapian::WritableDatabase db{config.database};
  const std::string mark_key{schema::kMetaChange};
  db.set_metadata(mark_key, "");
  CHECK(group_all_copies({&db, 1}, SlotReading::kStream) == 0);
  CHECK(db.get_metadata(mark_key).empty());
  // An article taken out of its group by hand is put back, and that is a change.
  const Xapian::docid did = *db.postlist_begin(schema::id_term("a2"));
  Xapian::Document doc = db.get_document(did);
  doc.remove_value(schema::kSlotGroup);
  db.replace_document(did, doc);
  CHECK(group_all_copies({&db, 1}, SlotReading::kStream) == 1);
  CHECK(db.get_metadata(mark_key).size() == 32);
}

TEST_CASE("articles indexed one at a time, in any order, make the groups a bulk load makes") {
  check_one_at_a_time(0);
}

TEST_CASE("replacing or deleting an article regroups the rest as a bulk load of them would") {
  check_replacing_and_deleting(0);
}

TEST_CASE("copies placed in different shards are one group, as in one database") {
  // The test is only worth its name if the copies are spread.
  REQUIRE(shards_of({"a1", "a2", "a3", "a4"}, 4).size() == 4);
  REQUIRE(shards_of({"b1", "b2"}, 4).size() == 2);
  SUBCASE("a bulk load") {
    TempDir dir;
    const Config config = bulk_loaded(dir.path(), 4);
    CHECK(groups_in(config) == bulk_groups({"a1", "a2", "a3", "a4", "b1", "b2", "c1"}));
  }
  SUBCASE("one at a time") { check_one_at_a_time(4); }
  SUBCASE("replaced and deleted") { check_replacing_and_deleting(4); }
}

}  // namespace clippings::test
