/// @file test_replicas.cpp
/// A clippings-server on a read replica kept by Xapian's replication (xapian-replicate-server
/// on the writer's side, xapian-replicate on the reader's): it serves what the writer committed
/// once a replication has run, whether it came as changesets or as a new full copy.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kData{CLIPPINGS_TEST_DATA_DIR};

/// The writer's database under a folder served by xapian-replicate-server, a replica kept from
/// it by one-shot runs of xapian-replicate, and the indexer's configuration keeping changesets.
struct Replication {
  TempDir dir;
  fs::path master_root = dir / "master";
  fs::path master = master_root / "clippings.db";
  fs::path replica = dir / "replica";
  int port = free_port();
  std::unique_ptr<ServerProcess> server;

  Replication() {
    REQUIRE_MESSAGE(fs::exists(CLIPPINGS_XAPIAN_REPLICATE), "xapian-replicate is missing: install xapian-tools");
    write_file(dir / "config.yaml", "indexer:\n  changesets: 10\n");
    fs::create_directories(master_root);
    index(kData / "corpus");
    fs::create_directories(dir / "replication-log");
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"-I", "127.0.0.1", "-p", std::to_string(port), master_root.string()},
        dir / "replication-log", ProcessOptions{CLIPPINGS_XAPIAN_REPLICATE_SERVER, {}});
  }

  void index(const fs::path& source) {
    const auto indexed = run_command({CLIPPINGS_INDEXER_BIN, "--config", (dir / "config.yaml").string(), "--db",
                                      master.string(), source.string()});
    REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  }

  /// Runs xapian-replicate once; its report ("Update complete: N copies, M changesets, ...").
  /// Tries again while the replication server is not yet listening (bounded).
  std::string replicate() {
    CommandResult run;
    for (int attempt = 0; attempt < 100; ++attempt) {
      run = run_command({CLIPPINGS_XAPIAN_REPLICATE, "-h", "127.0.0.1", "-p", std::to_string(port), "-m",
                         "clippings.db", "-r", "0", "-o", "-v", replica.string()});
      if (run.exit_code == 0) return run.out + run.err;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("xapian-replicate kept failing: " << run.err);
    return {};
  }
};

int total_at(int port, const std::string& q) {
  return get_json_at(port, "/api/search?q=" + q)["total_articles"].get<int>();
}

/// The file names in `folder`.
std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("a server on a replica serves each replicated commit, by changesets or by a new copy") {
  Replication r;
  CHECK(r.replicate().find("1 copies") != std::string::npos);
  const int port = free_port();
  ServerProcess reader{{"--db", r.replica.string(), "--host", "127.0.0.1", "--port", std::to_string(port)},
                       r.dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), reader.log());
  CHECK(total_at(port, "") == 7);
  CHECK(total_at(port, "quillon") == 0);

  // An update of the writer's database comes as changesets, applied to the live copy.
  const auto live = names_in(r.replica);
  r.index(kData / "server" / "articles.jsonl");
  CHECK(total_at(port, "quillon") == 0);  // not replicated yet
  const std::string update = r.replicate();
  CHECK(update.find("0 copies") != std::string::npos);
  CHECK(update.find("changesets") != std::string::npos);
  CHECK(names_in(r.replica) == live);
  CHECK(total_at(port, "quillon") > 0);
  const int updated = total_at(port, "");

  // A database built anew (a bulk load) has another identity: the replica takes a full copy
  // into its other folder and points its stub there, and the server follows the stub.
  fs::remove_all(r.master);
  r.index(kData / "server" / "articles.jsonl");
  CHECK(r.replicate().find("1 copies") != std::string::npos);
  CHECK(names_in(r.replica) != live);
  CHECK(total_at(port, "") < updated);
  CHECK(total_at(port, "quillon") > 0);
  CHECK(total_at(port, "ferry") == 0);
  CHECK(get_json_at(port, "/readyz")["status"] == "ready");
}

}  // namespace clippings::test
