/// @file test_near_duplicates.cpp
/// Groups of copies in the database: the same groups whether the articles come in one bulk
/// load or one by one, and kept right when articles are replaced or deleted.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "helpers.h"
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

/// Article id -> its group ("" for none), read from the database; every group's list of
/// articles is checked against the articles that name it.
std::map<std::string, std::string> groups_in(const fs::path& path) {
  Xapian::Database db{path.string()};
  std::map<std::string, std::string> groups;
  std::map<std::string, std::vector<std::string>> members;
  const std::string prefix{schema::kPrefixId};
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term) {
    const Xapian::docid did = *db.postlist_begin(*term);
    const std::string group = db.get_document(did).get_value(schema::kSlotGroup);
    groups[(*term).substr(prefix.size())] = group;
    if (!group.empty()) members[schema::group_metadata_key(group)].push_back(*term);
  }
  const std::string group_prefix{schema::kMetadataGroupPrefix};
  std::size_t lists = 0;
  for (auto key = db.metadata_keys_begin(group_prefix); key != db.metadata_keys_end(group_prefix); ++key, ++lists) {
    auto listed = schema::decode_group_members(db.get_metadata(*key));
    std::sort(listed.begin(), listed.end());
    const std::string detail = *key + " lists " + joined(listed) + "; named by " + joined(members[*key]);
    CHECK_MESSAGE(listed == members[*key], detail);
  }
  CHECK(lists == members.size());
  return groups;
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

TEST_CASE("articles indexed one at a time, in any order, make the groups a bulk load makes") {
  const std::vector<std::string> order = {"c1", "a3", "b2", "a4", "a2", "b1", "a1"};
  TempDir dir;
  fs::create_directories(dir / "in");
  const auto all = articles();
  for (const auto& id : order) {
    write_article(dir / "in", id, all.at(id));
    index(index_config(dir / "db"), {(dir / "in" / (id + ".jsonl")).string()});
  }
  CHECK(groups_in(dir / "db") == bulk_groups(order));
}

TEST_CASE("replacing or deleting an article regroups the rest as a bulk load of them would") {
  TempDir dir;
  fs::create_directories(dir / "in");
  for (const auto& [id, text] : articles()) write_article(dir / "in", id, text);
  const Config config = index_config(dir / "db");
  index(config, {(dir / "in").string()});
  REQUIRE(groups_in(dir / "db").at("a2") == "a1");

  SUBCASE("the article naming the group deleted") {
    fs::remove(dir / "in" / "a1.jsonl");
    index(config, {(dir / "in").string()}, /*prune=*/true);
    const auto groups = groups_in(dir / "db");
    CHECK(groups.at("a2") == "a2");
    CHECK(groups.at("a3") == "a2");
    CHECK(groups == bulk_groups({"a2", "a3", "a4", "b1", "b2", "c1"}));
  }
  SUBCASE("a copy replaced by another text leaves its group, and a group of one is none") {
    write_article(dir / "in", "b2", edited(story(9), 0, 1000));
    index(config, {(dir / "in" / "b2.jsonl").string()});
    const auto groups = groups_in(dir / "db");
    CHECK(groups.at("b1") == "");
    CHECK(groups.at("b2") == "");
    CHECK(groups.at("a1") == "a1");
  }
  SUBCASE("a copy replaced by an edited version of itself stays in its group") {
    // The new version comes without its group while the group's list still names it.
    write_article(dir / "in", "a3", edited(story(1), 13, 31));
    index(config, {(dir / "in" / "a3.jsonl").string()});
    const auto groups = groups_in(dir / "db");
    CHECK(groups.at("a3") == "a1");
    CHECK(groups == bulk_groups({"a1", "a2", "a3", "a4", "b1", "b2", "c1"}));
  }
  SUBCASE("an article replaced by a copy of another story moves to that group") {
    write_article(dir / "in", "c1", edited(story(2), 7, 50));
    index(config, {(dir / "in" / "c1.jsonl").string()});
    const auto groups = groups_in(dir / "db");
    CHECK(groups.at("c1") == "b1");
    CHECK(groups.at("b2") == "b1");
  }
}

}  // namespace clippings::test
