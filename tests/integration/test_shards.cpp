/// @file test_shards.cpp
/// The real clippings-server over three shards (`--shard`, a stub database file, xapian-tcpsrv
/// on loopback) answers through HTTP as a server over one database holding the same articles:
/// search of every kind, the article view, similar articles, copies, the exports and the feed.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <xapian.h>

#include "params.h"
#include "schema.h"
#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// An xapian-tcpsrv serving `db` on a free port of 127.0.0.1 while it lives (or until stop()).
class RemoteShard {
 public:
  RemoteShard(fs::path db, fs::path log_dir, std::vector<std::string> options = {})
      : db_(std::move(db)), log_dir_(std::move(log_dir)), options_(std::move(options)) {
    REQUIRE_MESSAGE(fs::exists(CLIPPINGS_XAPIAN_TCPSRV), "xapian-tcpsrv is missing: install xapian-tools");
    fs::create_directories(log_dir_);
    start();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  void start() {
    std::vector<std::string> args = {"--interface", "127.0.0.1", "--port", std::to_string(port_)};
    args.insert(args.end(), options_.begin(), options_.end());
    args.push_back(db_.string());
    process_ = std::make_unique<ServerProcess>(args, log_dir_, ProcessOptions{CLIPPINGS_XAPIAN_TCPSRV, {}, true});
    REQUIRE_MESSAGE(wait_until_listening(port_), process_->log());
  }
  void stop() { process_.reset(); }

 private:
  fs::path db_, log_dir_;
  std::vector<std::string> options_;
  int port_ = free_port();
  std::unique_ptr<ServerProcess> process_;

  static bool wait_until_listening(int port) {
    for (int tries = 0; tries < 200; ++tries) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(port));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      close(fd);
      if (connected) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
};

/// The test database ("one"), and its sources in three shards: each source indexed into a
/// shard of its own, or (kById) the indexer writing every source into the three shards, each
/// article in the one its id picks, as build_test_database writes "one"; or (kRemoteById) so
/// too, through an `xapian-tcpsrv --writable` serving each shard (`writers`, left running).
struct ShardedDatabases {
  enum Split { kBySource, kById, kRemoteById };
  TempDir dir;
  std::vector<fs::path> shards;
  std::vector<std::unique_ptr<RemoteShard>> writers;
  explicit ShardedDatabases(Split split = kBySource) {
    build_test_database(dir / "one");
    for (std::size_t i = 0; i < sources().size(); ++i) shards.push_back(dir / ("shard" + std::to_string(i)));
    if (split == kRemoteById) {
      for (std::size_t i = 0; i < shards.size(); ++i) {
        writers.push_back(std::make_unique<RemoteShard>(shards[i], dir / ("writer" + std::to_string(i)),
                                                        std::vector<std::string>{"--writable"}));
      }
    }
    for (std::size_t i = 0; i < sources().size(); ++i) {
      const auto indexed =
          split == kBySource ? index({"--db", shards[i].string(), sources()[i]}) : index_by_id({sources()[i]});
      // The samples hold deliberately broken input, which the indexer reports with exit 1.
      REQUIRE_MESSAGE((indexed.exit_code == 0 || indexed.exit_code == 1), indexed.err);
    }
  }
  static const std::vector<std::string>& sources() {
    static const fs::path data{CLIPPINGS_TEST_DATA_DIR};
    static const std::vector<std::string> all = {(data / "corpus").string(), CLIPPINGS_SAMPLES_DIR,
                                                 (data / "server" / "articles.jsonl").string()};
    return all;
  }
  /// The indexer with `args`.
  static CommandResult index(std::vector<std::string> args) {
    args.insert(args.begin(), CLIPPINGS_INDEXER_BIN);
    return run_command(args);
  }
  /// The indexer with `args` into the shards by id: their folders, or their writers' addresses.
  CommandResult index_by_id(const std::vector<std::string>& args) const {
    std::vector<std::string> all;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      all.insert(all.end(), {"--shard", writers.empty() ? shards[i].string() : writers[i]->address()});
    }
    all.insert(all.end(), args.begin(), args.end());
    return index(all);
  }
};

/// Whether some group of copies has articles in more than one of `shards`.
bool group_spans_shards(const std::vector<fs::path>& shards) {
  std::map<std::string, std::set<std::size_t>> shards_of_group;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const Xapian::Database db{shards[i].string()};
    for (auto it = db.valuestream_begin(schema::kSlotGroup); it != db.valuestream_end(schema::kSlotGroup); ++it) {
      shards_of_group[*it].insert(i);
    }
  }
  return std::any_of(shards_of_group.begin(), shards_of_group.end(),
                     [](const auto& group) { return group.second.size() > 1; });
}

/// A search response as compared: without its timing, scores to 9 decimals (shards add the
/// same weights in another order), and ties sorted by id (the order of ties is the docids',
/// which shards number otherwise): hits of equal score, and in a date order of equal date too.
json comparable(json body) {
  body.erase("took_ms");
  if (!body.contains("hits")) return body;
  json& hits = body["hits"];
  for (json& hit : hits) {
    if (hit.contains("score")) hit["score"] = std::round(hit["score"].get<double>() * 1e9) / 1e9;
  }
  const bool by_date = body.value("sort", "relevance") != "relevance";
  const auto tie_key = [by_date](const json& hit) {
    const std::string date = by_date && hit["date"].is_string() ? hit["date"].get<std::string>() : "";
    return std::make_pair(hit.value("score", 0.0), date);
  };
  for (std::size_t start = 0, end = 0; start < hits.size(); start = end) {
    end = start;
    while (end < hits.size() && tie_key(hits[end]) == tie_key(hits[start])) ++end;
    std::sort(hits.begin() + static_cast<long>(start), hits.begin() + static_cast<long>(end),
              [](const json& a, const json& b) { return a["id"] < b["id"]; });
  }
  return body;
}

/// Searches of every class and parameter: words, phrases, boolean operators, wildcards, fields,
/// no words, filters of each facet, each order, a later page, spelling, a thin query, the
/// timeline, every copy listed.
const std::vector<std::string> kSearches = {
    "q=",
    "q=ferry",
    "q=ferry+timetable",
    "q=%22harbour+wall%22",
    "q=ferry+NOT+vote",
    "q=ferr*",
    "q=title:ferry",
    "q=quillon+OR+lighthouse",
    "q=feryr",
    "q=ferry+lighthouse+zeppelin+quillon",
    "q=the&outlet=Gazette+Alpha&outlet=The+Harbor+Ledger",
    "q=&from=2021&to=2022-06",
    "q=the&sort=newest",
    "q=the&sort=oldest",
    "q=&sort=oldest&size=5&page=2",
    "q=the&facets=timeline&interval=year",
    "q=ferry&collapse=false",
    "q=the&lang=fr&lang=ru",
    "q=the&facet_size=all&facet_query=ga",
    "q=&sort=oldest&size=100",
    "q=ferry+OR+harbour&sort=oldest&collapse=false",
    "q=ferry+lighthouse+zeppelin+quillon&sort=oldest",
};

/// How many TCP connections to 127.0.0.1:`port` are established, counted on the listening
/// side (/proc/net/tcp: "local_address rem_address st", addresses in hex, 01 established).
std::size_t established_connections(int port) {
  std::ifstream table{"/proc/net/tcp"};
  std::string line;
  std::getline(table, line);  // the header
  const std::string local = fmt::format("0100007F:{:04X}", port);
  std::size_t count = 0;
  while (std::getline(table, line)) {
    std::istringstream fields{line};
    std::string slot, local_address, remote_address, state;
    fields >> slot >> local_address >> remote_address >> state;
    count += local_address == local && state == "01";
  }
  return count;
}

/// Each of `data`'s shards served by an xapian-tcpsrv with `options`.
std::vector<std::unique_ptr<RemoteShard>> serve_remotely(const ShardedDatabases& data,
                                                         const std::vector<std::string>& options = {}) {
  std::vector<std::unique_ptr<RemoteShard>> served;
  for (std::size_t i = 0; i < data.shards.size(); ++i) {
    served.push_back(std::make_unique<RemoteShard>(data.shards[i], data.dir / ("tcpsrv" + std::to_string(i)), options));
  }
  return served;
}

/// The server at `port` answers as the one over one database at `one_port` does: `searches`,
/// every article's view, similar articles and copies, the exports and the feed.
void check_answers_as_one(int port, int one_port, const std::vector<std::string>& searches) {
  for (const std::string& search : searches) {
    CAPTURE(search);
    const json expected = get_json_at(one_port, "/api/search?" + search);
    const json got = get_json_at(port, "/api/search?" + search);
    CHECK(comparable(got).dump(1) == comparable(expected).dump(1));
  }
  const json every = get_json_at(one_port, "/api/search?q=&size=100&collapse=false");
  REQUIRE(every["total"].get<int>() > 20);
  CHECK(get_json_at(port, "/api/search?q=&size=100&collapse=false")["total"] == every["total"]);

  {  // each article, its similar articles and its copies
    for (const auto& hit : every["hits"]) {
      const std::string id = http::percent_encode(hit["id"].get<std::string>());
      CAPTURE(id);
      for (const std::string& path : {"/api/articles/" + id + "?q=ferry", "/api/articles/" + id + "/copies"}) {
        CHECK(get_json_at(port, path).dump(1) == get_json_at(one_port, path).dump(1));
      }
      const json similar = get_json_at(port, "/api/articles/" + id + "/similar");
      CHECK(comparable(similar).dump(1) == comparable(get_json_at(one_port, "/api/articles/" + id + "/similar")).dump(1));
    }
  }
  {  // the exports and the feed
    for (const std::string target : {"/api/search.csv?q=ferry+OR+harbour&sort=oldest",
                                      "/api/search.csv?q=lighthouse+OR+eastgate+OR+puffin&sort=oldest&collapse=false",
                                      "/api/search.jsonl?q=&sort=newest&from=2020"}) {
      CAPTURE(target);
      const auto expected = raw_get(one_port, target);
      const auto got = raw_get(port, target);
      REQUIRE(expected);
      REQUIRE(got);
      CHECK(got->status == 200);
      // Each row says when its article was indexed, which differs between the databases.
      const std::regex indexed_at{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"};
      CHECK(std::regex_replace(got->body, indexed_at, "T") == std::regex_replace(expected->body, indexed_at, "T"));
    }
    // The feed lists the most recently indexed first: when each article was indexed differs
    // between the databases, and articles indexed in the same second come in docid order.
    // Its entries (fewer than a page) are compared as a set; collapsed, by their number, as
    // which copy stands for a story whose copies were indexed in the same second is a tie.
    const auto entry_ids = [](const std::string& feed) {
      std::vector<std::string> ids;
      for (std::size_t at = feed.find("<entry>"); at != std::string::npos; at = feed.find("<entry>", at + 1)) {
        const std::size_t start = feed.find("<id>", at) + 4;
        ids.push_back(feed.substr(start, feed.find("</id>", start) - start));
      }
      std::sort(ids.begin(), ids.end());
      return ids;
    };
    const auto feed = [](int at, const std::string& collapse) {
      const auto got = raw_get(at, "/api/search.atom?q=ferry+OR+harbour&from=2020&collapse=" + collapse);
      REQUIRE(got);
      return got->body;
    };
    CHECK_FALSE(entry_ids(feed(one_port, "false")).empty());
    CHECK(entry_ids(feed(port, "false")) == entry_ids(feed(one_port, "false")));
    CHECK(entry_ids(feed(port, "true")).size() == entry_ids(feed(one_port, "true")).size());
  }
}

/// A clippings-server on `port` with `args`, running in `data`'s folder.
std::unique_ptr<ServerProcess> front_end(const ShardedDatabases& data, std::vector<std::string> args, int port) {
  args.insert(args.end(), {"--host", "127.0.0.1", "--port", std::to_string(port), "--threads", "2"});
  auto server = std::make_unique<ServerProcess>(args, data.dir.path());
  REQUIRE_MESSAGE(wait_until_healthy(port), server->log());
  return server;
}

/// A clippings-server on `port` over `data`'s shards, each given with --shard.
std::unique_ptr<ServerProcess> local_front_end(const ShardedDatabases& data, int port) {
  std::vector<std::string> args;
  for (const auto& shard : data.shards) args.insert(args.end(), {"--shard", shard.string()});
  return front_end(data, args, port);
}

}  // namespace

TEST_CASE("a server over shards answers as one database does") {
  ShardedDatabases data;
  write_web_root(data.dir / "web", data.dir / "outside");
  InProcessServer one{test_config(data.dir / "one", data.dir / "web")};
  const int port = free_port();
  const auto sharded = local_front_end(data, port);
  check_answers_as_one(port, one.port(), kSearches);
  {  // stats count every shard
    const json expected = get_json_at(one.port(), "/api/stats");
    const json got = get_json_at(port, "/api/stats");
    CHECK(got["articles"] == expected["articles"]);
    CHECK(got["outlets"] == expected["outlets"]);
    CHECK(got["first_date"] == expected["first_date"]);
    CHECK(got["last_date"] == expected["last_date"]);
    CHECK_FALSE(expected.contains("shards"));
    // Each shard is reported, by /api/stats, /readyz and /metrics.
    const json ready = get_json_at(port, "/readyz");
    CHECK(ready["status"] == "ready");
    REQUIRE(ready["shards"].size() == data.shards.size());
    REQUIRE(got["shards"] == ready["shards"]);
    int articles = 0;
    const auto metrics = raw_get(port, "/metrics");
    REQUIRE(metrics);
    for (std::size_t i = 0; i < data.shards.size(); ++i) {
      CHECK(ready["shards"][i]["path"] == data.shards[i].string());
      CHECK(ready["shards"][i]["revision"].get<int>() >= 1);
      const int count = ready["shards"][i]["articles"].get<int>();
      CHECK(count > 0);
      articles += count;
      CHECK(metrics->body.find("clippings_shard_articles{shard=\"" + data.shards[i].string() + "\"} " +
                               std::to_string(count) + "\n") != std::string::npos);
    }
    CHECK(articles == got["articles"].get<int>());
  }
}

TEST_CASE("a stub database file given as --db joins the shards it lists") {
  ShardedDatabases data;
  write_file(data.dir / "all.stub", "auto shard0\nauto shard1\nauto shard2\n");
  const int port = free_port();
  ServerProcess sharded{{"--db", (data.dir / "all.stub").string(), "--host", "127.0.0.1", "--port",
                         std::to_string(port), "--threads", "2"},
                        data.dir.path()};
  REQUIRE_MESSAGE(wait_until_healthy(port), sharded.log());
  write_web_root(data.dir / "web", data.dir / "outside");
  InProcessServer one{test_config(data.dir / "one", data.dir / "web")};
  for (const std::string search : {"q=ferry&facets=timeline", "q=&sort=oldest"}) {
    CHECK(comparable(get_json_at(port, "/api/search?" + search)).dump(1) ==
          comparable(get_json_at(one.port(), "/api/search?" + search)).dump(1));
  }
}

}  // namespace clippings::test

namespace clippings::test {

TEST_CASE("a shard that is down: 503 naming it, or with partial_results an answer that says so") {
  ShardedDatabases data;
  write_web_root(data.dir / "web", data.dir / "outside");
  Config config = test_config(data.dir / "unused", data.dir / "web");
  for (const auto& shard : data.shards) config.shards.push_back(shard.string());
  InProcessServer strict{config};
  config.server.partial_results = true;
  InProcessServer partial{config};
  const int all = get_json_at(partial.port(), "/api/search?q=&collapse=false")["total"].get<int>();
  CHECK_FALSE(get_json_at(partial.port(), "/api/search?q=").contains("missing_shards"));

  const std::string down = data.shards[0].string();
  fs::rename(down, down + ".away");
  const json refused = get_json_at(strict.port(), "/api/search?q=", 503);
  CHECK(refused["error"]["message"] == "the search index is not ready: no database at " + down +
                                           " (a shard): run clippings-indexer first");
  CHECK(get_json_at(strict.port(), "/readyz", 503)["error"]["code"] == "not_ready");

  const json others = get_json_at(partial.port(), "/api/search?q=&collapse=false");
  CHECK(others["partial"] == true);
  CHECK(others["missing_shards"] == json::array({down}));
  CHECK(others["total"].get<int>() < all);
  CHECK(others["total"].get<int>() > 0);
  const json ready = get_json_at(partial.port(), "/readyz");
  CHECK(ready["status"] == "ready");
  CHECK(ready["shards"][0]["down"].get<std::string>().find("no database at " + down) != std::string::npos);
  CHECK_FALSE(ready["shards"][1].contains("down"));
  const auto csv = raw_get(partial.port(), "/api/search.csv?q=");
  REQUIRE(csv);
  CHECK(csv->get_header_value("X-Missing-Shards") == down);
  const auto metrics = raw_get(partial.port(), "/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("clippings_shard_up{shard=\"" + down + "\"} 0\n") != std::string::npos);

  fs::rename(down + ".away", down);
  CHECK(get_json_at(strict.port(), "/api/search?q=&collapse=false")["total"] == all);
  const json back = get_json_at(partial.port(), "/api/search?q=&collapse=false");
  CHECK(back["total"] == all);
  CHECK_FALSE(back.contains("partial"));
}

}  // namespace clippings::test

namespace clippings::test {

namespace {

/// The spelling dictionary of `data`'s shards, made by the indexer beside them: a front end
/// over remote shards needs one of its own (xapian-tcpsrv serves none).
std::string spelling_of(const ShardedDatabases& data) {
  const fs::path spelling = data.dir / "spelling";
  std::vector<std::string> make = {CLIPPINGS_INDEXER_BIN, "--db", spelling.string()};
  for (const auto& shard : data.shards) make.insert(make.end(), {"--spelling-from", shard.string()});
  const auto made = run_command(make);
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  CHECK(made.out.find("spelling dictionary " + spelling.string() + ": ") == 0);
  return spelling.string();
}

/// A clippings-server on `port` over `remotes`, named by a stub database file as Xapian writes
/// them, with a spelling dictionary made of `data`'s shards.
std::unique_ptr<ServerProcess> remote_front_end(const ShardedDatabases& data,
                                         const std::vector<std::unique_ptr<RemoteShard>>& remotes, int port) {
  std::string stub;
  for (const auto& remote : remotes) stub += "remote " + remote->address() + "\n";
  write_file(data.dir / "remote.stub", stub);
  return front_end(data, {"--db", (data.dir / "remote.stub").string(), "--spelling", spelling_of(data)}, port);
}

}  // namespace

TEST_CASE("a server over shards served by xapian-tcpsrv answers as one database does") {
  ShardedDatabases data;
  write_web_root(data.dir / "web", data.dir / "outside");
  InProcessServer one{test_config(data.dir / "one", data.dir / "web")};
  const auto remotes = serve_remotely(data);
  const int port = free_port();
  const auto sharded = remote_front_end(data, remotes, port);
  check_answers_as_one(port, one.port(), kSearches);

  const json expected = get_json_at(one.port(), "/api/stats");
  const json got = get_json_at(port, "/api/stats");
  CHECK(got["articles"] == expected["articles"]);
  CHECK(got["outlets"] == expected["outlets"]);
  CHECK(got["langs"] == expected["langs"]);
  CHECK(got["first_date"] == expected["first_date"]);
  CHECK(got["last_date"] == expected["last_date"]);
  const json ready = get_json_at(port, "/readyz");
  REQUIRE(ready["shards"].size() == 3);
  for (std::size_t i = 0; i < remotes.size(); ++i) {
    CHECK(ready["shards"][i]["path"] == remotes[i]->address());
    CHECK(ready["shards"][i]["articles"].get<int>() > 0);
  }
}

TEST_CASE("a server over a local shard and remote ones answers as one database does, with two connections to each remote") {
  ShardedDatabases data;
  write_web_root(data.dir / "web", data.dir / "outside");
  InProcessServer one{test_config(data.dir / "one", data.dir / "web")};
  const auto remotes = serve_remotely(data);
  const std::string spelling = spelling_of(data);
  // The same shards all served remotely, and the first read from its folder instead.
  Config all_remote = test_config(data.dir / "unused", data.dir / "web");
  for (const auto& remote : remotes) all_remote.shards.push_back(remote->address());
  all_remote.spelling = {spelling};
  Config mixed = all_remote;
  mixed.shards[0] = data.shards[0].string();
  for (const Config& config : {all_remote, mixed}) {
    CAPTURE(config.shards[0]);
    InProcessServer sharded{config};
    check_answers_as_one(sharded.port(), one.port(), kSearches);
    // Each searcher holds a second connection to a remote shard, for the counting pass that
    // runs beside the ranked pass, in a mixed layout too (its local shard has a twin handle).
    const auto searchers = sharded.server().context().searchers.created();
    CHECK(established_connections(remotes[1]->port()) == 2 * searchers);
  }
}

TEST_CASE("shards written by the indexer, copies spread among them, answer as one database, locally and remotely") {
  ShardedDatabases data{ShardedDatabases::kById};
  // Worth its name only when some group of copies is spread.
  REQUIRE(group_spans_shards(data.shards));
  write_web_root(data.dir / "web", data.dir / "outside");
  InProcessServer one{test_config(data.dir / "one", data.dir / "web")};
  const int local_port = free_port();
  const auto local = local_front_end(data, local_port);
  check_answers_as_one(local_port, one.port(), kSearches);
  const auto remotes = serve_remotely(data);
  const int port = free_port();
  const auto remote = remote_front_end(data, remotes, port);
  check_answers_as_one(port, one.port(), kSearches);
}

/// The id terms in each of `shards`.
std::vector<std::multiset<std::string>> ids_per_shard(const std::vector<fs::path>& shards) {
  std::vector<std::multiset<std::string>> ids;
  for (const auto& shard : shards) {
    const Xapian::Database db{shard.string()};
    const std::string prefix{schema::kPrefixId};
    ids.emplace_back(db.allterms_begin(prefix), db.allterms_end(prefix));
  }
  return ids;
}

TEST_CASE("the indexer writes shards served by xapian-tcpsrv --writable as it writes local ones") {
  ShardedDatabases local{ShardedDatabases::kById};
  ShardedDatabases remote{ShardedDatabases::kRemoteById};
  const auto ids = ids_per_shard(remote.shards);
  CHECK(ids == ids_per_shard(local.shards));
  REQUIRE(group_spans_shards(remote.shards));  // copies in two shards were grouped through the network
  write_web_root(remote.dir / "web", remote.dir / "outside");
  InProcessServer one{test_config(remote.dir / "one", remote.dir / "web")};
  const int port = free_port();
  const auto server = local_front_end(remote, port);
  check_answers_as_one(port, one.port(), kSearches);

  std::vector<std::string> all_sources = ShardedDatabases::sources();
  const auto again = remote.index_by_id(all_sources);
  CAPTURE(again.err);
  CHECK(again.out.find("added 0, replaced 0, unchanged ") == 0);
  all_sources.insert(all_sources.begin(), "--force");
  const auto forced = remote.index_by_id(all_sources);
  CAPTURE(forced.err);
  CHECK(forced.out.find("added 0, replaced ") == 0);
  CHECK(ids_per_shard(remote.shards) == ids);  // every article replaced where it was, none doubled

  // --prune reads each remote shard's sources through the network.
  const fs::path extra = remote.dir / "extra";
  write_file(extra / "a.txt", "---\ntitle: Pier lights\nid: extra-a\n---\nThe pier lights were lit at dusk.\n");
  write_file(extra / "b.txt", "---\ntitle: Pier bells\nid: extra-b\n---\nThe pier bells rang at noon.\n");
  CHECK(remote.index_by_id({extra.string()}).out.find("added 2,") == 0);
  fs::remove(extra / "a.txt");
  const auto pruned = remote.index_by_id({"--prune", extra.string()});
  CAPTURE(pruned.err);
  CHECK(pruned.out.find(", deleted 1,") != std::string::npos);
  std::multiset<std::string> extras;
  for (const auto& shard_ids : ids_per_shard(remote.shards)) {
    for (const std::string id : {"extra-a", "extra-b"}) {
      if (shard_ids.count(schema::id_term(id))) extras.insert(id);
    }
  }
  CHECK(extras == std::multiset<std::string>{"extra-b"});

  // A shard served read-only is refused with the way out, before the other is written.
  RemoteShard read_only{local.shards[0], remote.dir / "read-only"};
  const fs::path other = remote.dir / "other";
  const auto refused =
      ShardedDatabases::index({"--shard", other.string(), "--shard", read_only.address(), extra.string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("cannot open the database " + read_only.address() + ": ") != std::string::npos);
  CHECK(refused.err.find("(is it served by xapian-tcpsrv --writable?)") != std::string::npos);
  CHECK_FALSE(fs::exists(other));
}

TEST_CASE("a remote shard whose connection closed is connected anew, and one that is down is named") {
  ShardedDatabases data;
  write_web_root(data.dir / "web", data.dir / "outside");
  // The first shard closes connections idle for 300 ms.
  auto remotes = serve_remotely(data);
  remotes[0] = std::make_unique<RemoteShard>(data.shards[0], data.dir / "idle", std::vector<std::string>{"--idle-timeout", "300"});
  Config config = test_config(data.dir / "unused", data.dir / "web");
  for (const auto& remote : remotes) config.shards.push_back(remote->address());
  InProcessServer strict{config};
  config.server.partial_results = true;
  InProcessServer partial{config};
  const json all = get_json_at(strict.port(), "/api/search?q=");
  REQUIRE(all["total"].get<int>() > 0);
  // Without a spelling dictionary of their own (`spelling`), remote shards suggest nothing.
  CHECK(get_json_at(strict.port(), "/api/search?q=feryr")["suggestion"].is_null());

  const json ferry = get_json_at(strict.port(), "/api/search?q=ferry");
  REQUIRE(ferry["total"].get<int>() > 0);

  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(get_json_at(strict.port(), "/api/search?q=")["total"] == all["total"]);
  // Words too: the query parser reads the new connections, not the closed one.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(get_json_at(strict.port(), "/api/search?q=ferry")["total"] == ferry["total"]);

  remotes[1]->stop();
  const json refused = get_json_at(strict.port(), "/api/search?q=", 503);
  CAPTURE(refused);
  CHECK(refused["error"]["message"].get<std::string>().find("cannot reach " + config.shards[1] + " (a shard)") !=
        std::string::npos);
  const json others = get_json_at(partial.port(), "/api/search?q=");
  CHECK(others["partial"] == true);
  CHECK(others["missing_shards"] == json::array({config.shards[1]}));
  CHECK(others["total"].get<int>() < all["total"].get<int>());

  {  // /metrics: each shard's time to answer at the start of a request, and its failures; an
     // idle connection closed is no failure
    const auto metrics = raw_get(strict.port(), "/metrics");
    REQUIRE(metrics);
    const auto value = [&metrics](const std::string& series) {
      const std::size_t at = metrics->body.find("\n" + series + " ");
      return at == std::string::npos ? -1 : std::stoi(metrics->body.substr(at + series.size() + 2));
    };
    CHECK(value("clippings_shard_failures_total{shard=\"" + config.shards[0] + "\"}") == 0);
    CHECK(value("clippings_shard_failures_total{shard=\"" + config.shards[1] + "\"}") >= 1);
    CHECK(value("clippings_shard_open_seconds_count{shard=\"" + config.shards[0] + "\"}") >= 3);
  }

  remotes[1]->start();  // restarted on its port
  CHECK(get_json_at(strict.port(), "/api/search?q=")["total"] == all["total"]);
  const json back = get_json_at(partial.port(), "/api/search?q=");
  CHECK(back["total"] == all["total"]);
  CHECK_FALSE(back.contains("partial"));
}

TEST_CASE("over remote shards, an article added, or whose outlet and date alone changed, is counted anew at once") {
  ShardedDatabases data{ShardedDatabases::kById};
  const fs::path extra = data.dir / "extra";
  const auto write_article = [&extra](const std::string& outlet, const std::string& date) {
    write_file(extra / "lanterns.txt", "---\ntitle: Quay lanterns\nid: quay-lanterns\noutlet: " + outlet +
                                           "\ndate: " + date + "\n---\nThe quay lanterns were relit after the storm by the lamplighter Odwen Tarrasque.\n");
  };
  write_article("Harbour Gazette", "2024-03-01");
  REQUIRE(data.index_by_id({extra.string()}).out.find("added 1,") == 0);
  write_web_root(data.dir / "web", data.dir / "outside");
  const auto remotes = serve_remotely(data);
  Config config = test_config(data.dir / "unused", data.dir / "web");
  for (const auto& remote : remotes) config.shards.push_back(remote->address());
  InProcessServer front{config};
  const auto outlets_of = [&front](const std::string& query) {
    const json body = get_json_at(front.port(), "/api/search?" + query);
    std::map<std::string, int> counts;
    for (const auto& o : body["facets"]["outlet"]) counts[o["value"]] = o["count"];
    return counts;
  };
  CHECK(outlets_of("q=tarrasque") == std::map<std::string, int>{{"Harbour Gazette", 1}});

  // The same words under an outlet of as many words: no count or length a shard tells moves,
  // only the indexer's change mark.
  write_article("Quay Times", "2024-03-02");
  REQUIRE(data.index_by_id({extra.string()}).out.find("added 0, replaced 1,") == 0);
  CHECK(outlets_of("q=tarrasque") == std::map<std::string, int>{{"Quay Times", 1}});
  const json dated = get_json_at(front.port(), "/api/search?q=tarrasque&from=2024-03-02&to=2024-03-02");
  CHECK(dated["total"] == 1);
  CHECK(get_json_at(front.port(), "/api/search?q=tarrasque&from=2024-03-01&to=2024-03-01")["total"] == 0);

  // A new article, at a docid the shard's connections have not seen: counted (on the counting
  // connection) as it is listed (on the other).
  write_file(extra / "bells.txt", "---\ntitle: Quay bells\nid: quay-bells\noutlet: Bell Weekly\ndate: 2024-03-05\n---\n"
                                  "The lamplighter Odwen Tarrasque rang the quay bells at dawn.\n");
  REQUIRE(data.index_by_id({extra.string()}).out.find("added 1,") == 0);
  const json both = get_json_at(front.port(), "/api/search?q=tarrasque");
  CHECK(both["total"] == 2);
  CHECK(both["hits"].size() == 2);
  CHECK(outlets_of("q=tarrasque") == std::map<std::string, int>{{"Bell Weekly", 1}, {"Quay Times", 1}});
}

}  // namespace clippings::test
