/// @file test_seeds_index.cpp
/// The real clippings-indexer over the seed articles: each one indexed once, searchable, its
/// boilerplate not.
#include <doctest/doctest.h>

#include <set>

#include "helpers.h"
#include "seeds.h"
#include "support.h"

namespace clippings::test {

namespace fs = std::filesystem;

TEST_CASE("seeds: indexed by the real indexer and searchable as the schema says") {
  TempDir dir;
  write_file(dir / "config.yaml", "");  // built-in defaults, whatever the working directory holds
  const fs::path db = dir / "db";
  const fs::path seeds = fs::absolute(seeds_dir()).lexically_normal();
  auto result = run_command({CLIPPINGS_INDEXER_BIN, "--config", (dir / "config.yaml").string(),
                             "--db", db.string(), seeds.string()});
  CAPTURE(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("added 5,") == 0);
  CHECK(sources_matching(db, R"("carefully selected group of soldiers")") ==
        std::set<std::string>{(seeds / "002_54276fa2884e95bc.txt").string()});
  CHECK(sources_matching(db, R"("small favor to ask")").empty());
  const auto moscow_times = outlet_count(db, "The Moscow Times");
  CHECK(moscow_times.values == 2);
  CHECK(moscow_times.term_frequency == 2);
}

}  // namespace clippings::test
