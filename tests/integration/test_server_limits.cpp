/// @file test_server_limits.cpp
/// Hostile clients and expensive queries against in-process servers with small limits: slow
/// and idle connections, a full queue, busy search slots, the term budget and the time limit.
/// Every wait is bounded; deadlines are generous functional ones, not speed thresholds.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "search/facet_columns.h"
#include "server_fixture.h"

namespace clippings::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// A database built once per test process; each test copies it when it writes to it.
const fs::path& shared_db() {
  static TempDir dir;
  static const fs::path db = [] {
    build_test_database(dir / "db");
    return dir / "db";
  }();
  return db;
}

Config limits_config(const fs::path& db) {
  Config config = test_config(db, db.parent_path() / "no-web");
  config.server.threads = 4;
  return config;
}

/// A TCP connection to 127.0.0.1:`port` sending bytes by hand; closed at scope exit.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool send_text(std::string_view text) {
    return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
  }
  /// What the server sends until it closes or `timeout` passes.
  std::string receive(std::chrono::milliseconds timeout = 5000ms) {
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buffer[4096];
    for (int reads = 0; reads < 1000; ++reads) {
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

/// A search with a short client-side timeout: what a user waiting for an answer would give it.
httplib::Result search(int port, const std::string& target = "/api/search?q=quillon") {
  httplib::Client client{"127.0.0.1", port};
  client.set_connection_timeout(4);
  client.set_read_timeout(4);
  return client.Get(target.c_str());
}

/// Blocks the facet columns read of the next revision until released: a search that reads
/// them holds its worker and its search slot for as long as the test wants.
class ColumnsGate {
 public:
  /// From now on, until released.
  void install(search::FacetColumnsCache& cache) {
    cache.on_read([this](const Xapian::Database&) {
      std::unique_lock lock{mutex_};
      entered_ = true;
      changed_.notify_all();
      changed_.wait_for(lock, 60s, [this] { return released_; });
    });
  }
  ~ColumnsGate() { release(); }
  bool wait_entered() {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, 30s, [this] { return entered_; });
  }
  void release() {
    std::lock_guard lock{mutex_};
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool released_ = false;
};

fs::path copy_db(const TempDir& dir) {
  fs::copy(shared_db(), dir / "db", fs::copy_options::recursive);
  return dir / "db";
}

void add_revision(const fs::path& db) {
  const auto indexed =
      run_indexer(db, (fs::path{CLIPPINGS_TEST_DATA_DIR} / "server" / "late_article.jsonl").string());
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
}

/// A search held inside the read of a new revision's facet columns: it keeps its worker thread
/// and its search slot until finish() (or the end of the scope).
class HeldSearch {
 public:
  HeldSearch(InProcessServer& server, const fs::path& db) {
    REQUIRE(search(server.port()));  // a Searcher on the first revision
    gate_.install(server.server().context().searchers.facet_columns());
    add_revision(db);
    result_ = std::async(std::launch::async,
                         [port = server.port()] { return search(port, "/api/search?q=zephyrine"); });
    REQUIRE(gate_.wait_entered());
  }
  ~HeldSearch() {
    gate_.release();
    if (result_.valid()) result_.wait();
  }
  HeldSearch(const HeldSearch&) = delete;
  HeldSearch& operator=(const HeldSearch&) = delete;
  httplib::Result finish() {
    gate_.release();
    return result_.get();
  }

 private:
  ColumnsGate gate_;
  std::future<httplib::Result> result_;
};

}  // namespace

TEST_CASE("limits: slow header senders do not stop a normal search") {
  InProcessServer server{limits_config(shared_db())};
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 24; ++i) {
    slow.push_back(std::make_unique<RawClient>(server.port()));
    REQUIRE(slow.back()->connected());
    REQUIRE(slow.back()->send_text("GET /api/search?q=quillon HTTP/1.1\r\nHost: x\r\n"));
  }
  std::atomic<bool> done{false};
  std::thread trickle{[&] {
    // One header byte per connection every 100 ms: each byte would restart a per-read timeout.
    for (int round = 0; round < 200 && !done; ++round) {
      for (auto& client : slow) client->send_text("X");
      std::this_thread::sleep_for(100ms);
    }
  }};
  for (int i = 0; i < 3; ++i) {
    auto res = search(server.port());
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  done = true;
  trickle.join();
}

TEST_CASE("limits: a request line and headers must arrive within the request timeout") {
  Config config = limits_config(shared_db());
  config.server.request_timeout_ms = 300;
  InProcessServer server{config};
  RawClient client{server.port()};
  REQUIRE(client.send_text("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  // Bytes keep coming, but the total deadline holds.
  for (int i = 0; i < 8; ++i) {
    client.send_text("X");
    std::this_thread::sleep_for(50ms);
  }
  const std::string reply = client.receive();
  CHECK(reply.starts_with("HTTP/1.1 408"));
  CHECK(reply.find("\"code\":\"request_timeout\"") != std::string::npos);
}

TEST_CASE("limits: idle keep-alive connections do not stop new clients") {
  InProcessServer server{limits_config(shared_db())};
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 16; ++i) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    client->set_keep_alive(true);
    auto res = client->Get("/healthz");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    idle.push_back(std::move(client));  // the connection stays open, idle
  }
  for (int i = 0; i < 3; ++i) {
    auto res = search(server.port());
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  // And the idle ones still work.
  auto again = idle.front()->Get("/healthz");
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("limits: oversized request lines and headers are refused at once with JSON") {
  Config config = limits_config(shared_db());
  config.server.max_request_bytes = 2048;
  InProcessServer server{config};
  {
    RawClient client{server.port()};
    client.send_text("GET /api/search?q=" + std::string(3000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string reply = client.receive();
    CHECK(reply.starts_with("HTTP/1.1 414"));
    CHECK(reply.find("\"code\":\"uri_too_long\"") != std::string::npos);
  }
  {
    RawClient client{server.port()};
    client.send_text("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(3000, 'a') + "\r\n\r\n");
    const std::string reply = client.receive();
    CHECK(reply.starts_with("HTTP/1.1 431"));
    CHECK(reply.find("\"code\":\"headers_too_large\"") != std::string::npos);
  }
  {
    // Larger than cpp-httplib's own 8 KiB line limit, with a larger setting: still JSON.
    Config big = limits_config(shared_db());
    big.server.max_request_bytes = 1 << 20;
    InProcessServer large{big};
    RawClient client{large.port()};
    client.send_text("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10000, 'a') + "\r\n\r\n");
    const std::string reply = client.receive();
    CHECK(reply.starts_with("HTTP/1.1 431"));
  }
}

/// How many of `count` connections to 127.0.0.1:`port`, started at once without blocking,
/// complete their handshake within `wait`.
int connections_completed(int port, int count, std::chrono::milliseconds wait) {
  std::vector<pollfd> fds;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < count; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
    fds.push_back({fd, POLLOUT, 0});
  }
  int completed = 0;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (auto& p : fds) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    int error = 0;
    socklen_t size = sizeof error;
    if (poll(&p, 1, static_cast<int>(std::max(left.count(), 0L))) == 1 &&
        getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0) {
      ++completed;
    }
  }
  for (const auto& p : fds) close(p.fd);
  return completed;
}

TEST_CASE("limits: a burst of new connections waits in the listen queue, none is dropped") {
  // Debian's cpp-httplib listens with a backlog of 5: the sixth connection arriving before the
  // server accepts had its SYN dropped, and the client retried a second later. Bound but not
  // yet accepting, the server must hold a burst in the kernel's queue.
  http::HttpServer server{limits_config(shared_db())};
  std::string error;
  REQUIRE_MESSAGE(server.bind(error), error);
  // The kernel caps any backlog at net.core.somaxconn (4096 by default).
  int somaxconn = 4096;
  std::ifstream{"/proc/sys/net/core/somaxconn"} >> somaxconn;
  const int burst = std::min(200, somaxconn);
  // A retried SYN is sent after 1 s; 2 s lets every first attempt through, however slow.
  CHECK(connections_completed(server.port(), burst, 2000ms) == burst);
}

TEST_CASE("limits: a full queue is answered 503 with Retry-After") {
  TempDir dir;
  Config config = limits_config(copy_db(dir));
  config.server.threads = 1;
  config.server.queue_size = 1;
  InProcessServer server{config};
  HeldSearch held{server, dir / "db"};  // the only worker
  // One request waits in the queue...
  RawClient queued{server.port()};
  queued.send_text("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto& counters = server.server().connection_counters();
  for (int i = 0; i < 200 && counters.queued.load() < 1; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(counters.queued.load() == 1);
  // ...and the next is refused at once.
  RawClient refused{server.port()};
  refused.send_text("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string reply = refused.receive();
  CHECK(reply.starts_with("HTTP/1.1 503"));
  CHECK(reply.find("Retry-After: 1\r\n") != std::string::npos);
  CHECK(reply.find("\"code\":\"busy\"") != std::string::npos);
  auto first = held.finish();
  REQUIRE(first);
  CHECK(first->status == 200);
  CHECK(queued.receive().starts_with("HTTP/1.1 200"));
}

TEST_CASE("limits: health, readiness and metrics answer while every search slot is busy") {
  TempDir dir;
  Config config = limits_config(copy_db(dir));
  config.server.max_searches = 1;
  config.server.search_queue = 0;
  InProcessServer server{config};
  HeldSearch held{server, dir / "db"};  // holds the only search slot
  for (const std::string target : {"/healthz", "/readyz", "/metrics"}) {
    CAPTURE(target);
    auto res = search(server.port(), target);
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  // Another search finds the only slot taken and no room to wait.
  auto busy = search(server.port(), "/api/search?q=harbour");
  REQUIRE(busy);
  CHECK(busy->status == 503);
  CHECK(busy->get_header_value("Retry-After") == "1");
  CHECK(json_of(busy)["error"]["code"] == "busy");
  auto first = held.finish();
  REQUIRE(first);
  CHECK(first->status == 200);
}

TEST_CASE("limits: searches go on while another reads a new revision's facet columns") {
  TempDir dir;
  Config config = limits_config(copy_db(dir));
  InProcessServer server{config};
  auto& pool = server.server().context().searchers;
  {
    // Two Searchers open on the first revision, as after two searches at once.
    auto a = pool.acquire();
    auto b = pool.acquire();
    REQUIRE(a->ready());
    REQUIRE(b->ready());
  }
  const auto before = json_of(search(server.port(), "/api/search?q=zephyrine"))["total"].get<int>();
  HeldSearch held{server, dir / "db"};  // its Searcher reads the new revision's columns
  // The other Searcher answers from the revision it has, without waiting for the read.
  auto meanwhile = std::async(std::launch::async, [&] { return search(server.port(), "/api/search?q=zephyrine"); });
  REQUIRE(meanwhile.wait_for(20s) == std::future_status::ready);
  auto answer = meanwhile.get();
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(json_of(answer)["total"] == before);
  auto first = held.finish();
  REQUIRE(first);
  CHECK(json_of(first)["total"] == before + 1);
  CHECK(json_of(search(server.port(), "/api/search?q=zephyrine"))["total"] == before + 1);
}

TEST_CASE("limits: a query over the term budget is a clear 400") {
  Config config = limits_config(shared_db());
  config.server.max_query_terms = 5;
  InProcessServer server{config};
  auto res = search(server.port(), "/api/search?q=a*%20OR%20b*%20OR%20c*%20OR%20d*%20OR%20e*%20OR%20s*");
  REQUIRE(res);
  CHECK(res->status == 400);
  const auto error = json_of(res)["error"];
  CHECK(error["code"] == "query_too_complex");
  CHECK(error["param"] == "q");
  CHECK(error["message"].get<std::string>().find("more than 5 terms") != std::string::npos);
  auto small = search(server.port(), "/api/search?q=quillon%20harbour");
  REQUIRE(small);
  CHECK(small->status == 200);
}

TEST_CASE("limits: expensive searches beyond their limit are told to retry") {
  Config config = limits_config(shared_db());
  config.server.expensive_query_terms = 2;
  config.server.max_expensive_searches = 1;
  InProcessServer server{config};
  auto held = server.server().context().searchers.expensive_slots().try_acquire();  // one expensive search is running
  REQUIRE(held);
  auto res = search(server.port(), "/api/search?q=s*%20OR%20h*");
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(res->get_header_value("Retry-After") == "1");
  CHECK(json_of(res)["error"]["code"] == "busy");
  CHECK(search(server.port(), "/api/search?q=quillon")->status == 200);  // cheap ones run
  held.reset();
  CHECK(search(server.port(), "/api/search?q=s*%20OR%20h*")->status == 200);
}

TEST_CASE("limits: a search past the match time limit is answered, marked timed out") {
  Config config = limits_config(shared_db());
  config.server.match_time_limit_ms = 0.001;  // one microsecond: always over by the first match
  InProcessServer server{config};
  const auto body = json_of(search(server.port(), "/api/search?q=quillon"));
  CHECK(body["timed_out"] == true);
  CHECK(body["total_exact"] == false);
  CHECK(body["hits"].size() > 0);

  Config relaxed = limits_config(shared_db());
  InProcessServer normal{relaxed};
  const auto full = json_of(search(normal.port(), "/api/search?q=quillon"));
  CHECK(full["timed_out"] == false);
  CHECK(full["total_exact"] == true);
  CHECK(body["total"].get<int>() <= full["total"].get<int>());
}

}  // namespace clippings::test
