/// @file test_shard_layout.cpp
/// An index written into shards: each article in the shard its id picks, re-runs without
/// duplicates, pruning in every shard, rejections told once, and shards given otherwise refused.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <xapian.h>

#include "helpers.h"
#include "index/indexer.h"
#include "index/shard_layout.h"
#include "schema.h"
#include "support.h"

namespace clippings {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

Config sharded_config(const TempDir& dir, std::size_t count) {
  Config config = test::index_config(dir / "unused");
  for (std::size_t i = 0; i < count; ++i) config.shards.push_back((dir / ("shard" + std::to_string(i))).string());
  return config;
}

Result<IndexStats> try_index(const Config& config, std::vector<std::string> sources, std::string rejects = {}) {
  std::atomic<bool> stop{false};
  IndexOptions options;
  options.sources = std::move(sources);
  options.force = true;
  options.rejects_path = std::move(rejects);
  return run_indexer(config, options, stop);
}

/// How many times `text` holds `part`.
std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

std::string error_of(const Result<IndexStats>& result) { return result ? "" : result.error().message; }

TEST_CASE("an id's shard is FNV-1a of its bytes: the same everywhere, and spread evenly") {
  CHECK(shard_of("gen-0", 2) == 0);
  CHECK(shard_of("gen-1", 2) == 1);
  CHECK(shard_of("gen-1", 4) == 3);
  CHECK(shard_of("tidewater-001", 3) == 2);
  CHECK(shard_of("anything", 1) == 0);
  std::size_t per_shard[4] = {};
  for (int i = 0; i < 4000; ++i) ++per_shard[shard_of("https://news.example/article-" + std::to_string(i), 4)];
  for (const std::size_t n : per_shard) {
    CHECK(n > 900);
    CHECK(n < 1100);
  }
  CHECK(ShardPlace{1, 2}.holds("gen-1"));
  CHECK_FALSE(ShardPlace{1, 2}.holds("gen-0"));
  CHECK(ShardPlace{}.holds("gen-0"));
}

TEST_CASE("each article goes to the shard its id picks, and a second run replaces it there") {
  TempDir dir;
  write_file(dir / "in/feed.jsonl", test::generated_articles(40));
  const Config config = sharded_config(dir, 3);
  for (const bool first : {true, false}) {
    CAPTURE(first);
    const IndexStats stats = test::index(config, {(dir / "in").string()}, false, /*force=*/true);
    CHECK(stats.added == (first ? 40U : 0U));
    CHECK(stats.replaced == (first ? 0U : 40U));
    CHECK(stats.rejected == 0);
    std::multiset<std::string> all;
    for (std::size_t i = 0; i < 3; ++i) {
      for (const auto& id : test::ids_in(config.shards[i])) {
        CHECK(shard_of(id, 3) == i);
        all.insert(id);
      }
      CHECK(test::doccount_of(config.shards[i]) > 5);
    }
    CHECK(all.size() == 40);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 40);
  }
}

TEST_CASE("a rejected input is told once and counted once, whichever shard it falls to") {
  TempDir dir;
  write_file(dir / "in/feed.jsonl", test::generated_articles(6) + "{not json\n" + "{\"id\": \"x\"}\n");
  const Config config = sharded_config(dir, 2);
  test::CapturedLog log;
  const auto stats = try_index(config, {(dir / "in").string()}, (dir / "rejects.tsv").string());
  REQUIRE_MESSAGE(stats, error_of(stats));
  CHECK(stats->added == 6);
  CHECK(stats->rejected == 2);
  CHECK(stats->exit_code() == kExitRejected);
  // Once as it comes, once among the examples of the summary.
  CHECK(occurrences(log.text(), "feed.jsonl:7: ") == 2);
  CHECK(occurrences(log.text(), "feed.jsonl:8: ") == 2);
  const std::string rejects = test::read_file(dir / "rejects.tsv");
  CHECK(occurrences(rejects, "\n") == 3);  // the header and each rejection
  CHECK(occurrences(rejects, "\t7\t") == 1);
  CHECK(occurrences(rejects, "\t8\t") == 1);
}

TEST_CASE("--prune deletes a vanished file's articles from whichever shard holds them") {
  TempDir dir;
  for (int i = 0; i < 6; ++i) {
    write_file(dir / "in" / ("story-" + std::to_string(i) + ".txt"),
               "---\ntitle: Harbour story " + std::to_string(i) + "\nid: story-" + std::to_string(i) +
                   "\n---\nThe harbour master counted " + std::to_string(i * 7 + 3) + " boats at dawn.\n");
  }
  const Config config = sharded_config(dir, 2);
  CHECK(test::index(config, {(dir / "in").string()}).added == 6);
  fs::remove(dir / "in/story-0.txt");
  fs::remove(dir / "in/story-1.txt");
  const IndexStats pruned = test::index(config, {(dir / "in").string()}, /*prune=*/true);
  CHECK(pruned.deleted == 2);
  std::multiset<std::string> left;
  for (const auto& shard : config.shards) {
    for (const auto& id : test::ids_in(shard)) left.insert(id);
  }
  CHECK(left == std::multiset<std::string>{"story-2", "story-3", "story-4", "story-5"});
}

TEST_CASE("shards given in another order, in another number, or alone are refused, naming both places") {
  TempDir dir;
  write_file(dir / "in/feed.jsonl", test::generated_articles(8));
  const std::string in = (dir / "in").string();
  Config config = sharded_config(dir, 2);
  REQUIRE(try_index(config, {in}));

  Config swapped = config;
  std::swap(swapped.shards[0], swapped.shards[1]);
  auto refused = try_index(swapped, {in});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("it was written as shard 2/2, and is given now as shard 1/2") !=
        std::string::npos);

  Config three = sharded_config(dir, 3);
  refused = try_index(three, {in});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("written as shard 1/2, and is given now as shard 1/3") != std::string::npos);

  Config alone = test::index_config(config.shards[1]);
  refused = try_index(alone, {in});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("it is shard 2/2 of an index written into shards") != std::string::npos);

  // A database that was written on its own holds articles not placed by their id.
  test::index(test::index_config(dir / "own"), {in});
  Config joined = config;
  joined.shards.insert(joined.shards.begin(), (dir / "own").string());
  refused = try_index(joined, {in});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("holds articles indexed on its own") != std::string::npos);

  // None of that wrote anything: the shards hold what the first run wrote, and the third
  // shard, new, was not written either.
  CHECK(test::doccount_of(config.shards[0]) + test::doccount_of(config.shards[1]) == 8);
  CHECK_FALSE(fs::exists(three.shards[2]));
}

TEST_CASE("a remote shard that cannot be reached, and stdin, are refused before any shard is written") {
  TempDir dir;
  Config config = sharded_config(dir, 2);
  const std::string nobody = "127.0.0.1:" + std::to_string(test::free_port());  // nothing listens there
  config.shards[1] = nobody;
  write_file(dir / "in/feed.jsonl", test::generated_articles(2));
  auto refused = try_index(config, {(dir / "in").string()});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("cannot open the database " + nobody + ": NetworkError") == 0);
  CHECK_FALSE(fs::exists(dir / "shard0"));

  refused = try_index(sharded_config(dir, 2), {"-"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("cannot read stdin into shards") != std::string::npos);
}

}  // namespace
}  // namespace clippings
