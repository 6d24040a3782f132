/// @file connections.cpp
#include "connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "reply.h"
#include "request_framing.h"

namespace clippings::http {
namespace {

using Clock = std::chrono::steady_clock;

/// How long a refused connection is drained before it is closed, so that the client reads the
/// error instead of a reset.
constexpr auto kLingerTime = std::chrono::milliseconds{1000};
/// How often deadlines are checked: the precision of every timeout here.
constexpr int kTickMs = 50;

/// Set while the accept thread runs httplib's task closure to learn the accepted socket.
thread_local bool t_capturing = false;
thread_local socket_t t_captured = INVALID_SOCKET;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
}

bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length)
                      : getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  if (rc != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

/// One client connection while no worker holds it.
struct Connection {
  enum class Phase {
    kReading,  ///< a request has begun (or the connection is new): the request deadline runs
    kIdle,     ///< keep-alive, between requests: the idle deadline runs
    kClosing,  ///< an error was sent; draining until the client closes or the linger ends
  };
  int fd = -1;
  Phase phase = Phase::kReading;
  std::string in;  ///< bytes received and not yet parsed
  std::size_t request_bytes = 0;  ///< set once `in` holds a whole request: its length
  bool search = false;            ///< the request waits for a search slot
  Clock::time_point queued_at;
  std::size_t served = 0;
  bool peer_closed = false;  ///< the client shut down its side: answer what came, then close
  Clock::time_point deadline;
  Clock::time_point idle_since;
};

/// A request already in memory, as httplib's parser reads it; a chunked body still on the
/// socket is read under the request's deadline. Writes wait at most the write timeout for
/// progress.
class BufferedStream final : public httplib::Stream {
 public:
  BufferedStream(Connection& connection, std::chrono::milliseconds write_timeout)
      : c_(connection), write_timeout_ms_(static_cast<int>(write_timeout.count())) {}

  std::size_t consumed() const { return pos_; }

  bool is_readable() const override {
    return pos_ < c_.in.size() || wait_for(c_.fd, POLLIN, remaining_ms(c_.deadline));
  }
  bool is_writable() const override { return wait_for(c_.fd, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ < c_.in.size()) {
      const std::size_t n = std::min(size, c_.in.size() - pos_);
      std::copy_n(c_.in.data() + pos_, n, ptr);
      pos_ += n;
      return static_cast<ssize_t>(n);
    }
    if (!wait_for(c_.fd, POLLIN, remaining_ms(c_.deadline))) return -1;
    return ::recv(c_.fd, ptr, size, MSG_DONTWAIT);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!wait_for(c_.fd, POLLOUT, write_timeout_ms_)) return -1;
    return ::send(c_.fd, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(c_.fd, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(c_.fd, false, ip, port);
  }
  socket_t socket() const override { return c_.fd; }

 private:
  Connection& c_;
  int write_timeout_ms_;
  std::size_t pos_ = 0;
};

}  // namespace

/// The task queue cpp-httplib's accept loop feeds: the reception thread and the workers.
class Reception final : public httplib::TaskQueue {
 public:
  explicit Reception(ConnectionServer& server);
  ~Reception() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  using Owned = std::unique_ptr<Connection>;

  void receive_loop();
  void work_loop();
  void adopt(Owned connection);
  void on_readable(Connection& c);
  /// Queues `c` for a worker if it holds a whole request, answers its error, or keeps it.
  void advance(Connection& c);
  void sweep();
  void refuse(Connection& c, int status, const std::string& code, const std::string& message,
              int retry_after = 0);
  void forget(int fd);
  void close_now(int fd);
  bool evict_idle();
  void serve(Owned c);
  void wake();
  /// Whether `c`'s request is a search (SearchAdmission::is_search on its request line).
  bool is_search(const Connection& c) const;
  /// Under work_mutex_: the next request a worker may take, with its search slot.
  Owned next_work(std::optional<search::ConcurrencyLimit::Permit>& slot);
  /// Answers 503 to searches that waited past SearchAdmission::max_wait.
  void expire_searches();

  ConnectionServer& server_;
  const ConnectionLimits& limits_;
  ConnectionCounters& counters_;
  int epoll_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};

  // Owned by the reception thread.
  std::unordered_map<int, Owned> watched_;

  // Handed to the reception thread.
  std::mutex handoff_mutex_;
  std::vector<Owned> handoff_;

  // Whole requests waiting for a worker.
  std::mutex work_mutex_;
  std::condition_variable work_ready_;
  std::deque<Owned> work_;      ///< requests other than searches
  std::deque<Owned> searches_;  ///< searches, waiting for a slot
  bool workers_stop_ = false;

  std::thread receiver_;
  std::vector<std::thread> workers_;
};

ConnectionServer::ConnectionServer(ConnectionLimits limits) : limits_(limits) {
  new_task_queue = [this] { return new Reception(*this); };
  set_keep_alive_max_count(limits_.keep_alive_requests);
  set_keep_alive_timeout(std::max<time_t>(1, limits_.keep_alive_idle.count() / 1000));
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  if (t_capturing) {
    t_captured = sock;
    return true;
  }
  ::close(sock);
  return false;
}

bool ConnectionServer::answer(httplib::Stream& stream, bool close_connection,
                              bool& connection_closed) {
  return process_request(stream, close_connection, connection_closed, nullptr);
}

std::string ConnectionServer::raw_error(int status, const std::string& code,
                                        const std::string& message, int retry_after) {
  const Reply reply = error_reply(Error{status, code, message, {}});
  std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
                                status, status_text(status), reply.content_type, reply.body.size());
  if (retry_after > 0) out += fmt::format("Retry-After: {}\r\n", retry_after);
  out += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
  return out + reply.body;
}

Reception::Reception(ConnectionServer& server)
    : server_(server), limits_(server.limits()), counters_(server.counters_) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd_;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_fd_, &event);
  receiver_ = std::thread{[this] { receive_loop(); }};
  for (int i = 0; i < std::max(limits_.workers, 1); ++i) workers_.emplace_back([this] { work_loop(); });
}

Reception::~Reception() {
  shutdown();
  ::close(wake_fd_);
  ::close(epoll_);
}

void Reception::enqueue(std::function<void()> fn) {
  t_capturing = true;
  t_captured = INVALID_SOCKET;
  fn();
  t_capturing = false;
  if (t_captured == INVALID_SOCKET) {
    spdlog::error("an accepted connection could not be taken over; it is answered by the library");
    fn();
    return;
  }
  ++counters_.accepted;
  ++counters_.open;
  auto c = std::make_unique<Connection>();
  c->fd = t_captured;
  c->deadline = Clock::now() + limits_.request_timeout;
  // httplib sends the headers and the body in two writes: with Nagle on, the body waits for
  // the client's delayed ACK of the headers, adding ~40 ms to every keep-alive response.
  int yes = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  {
    std::lock_guard lock{handoff_mutex_};
    handoff_.push_back(std::move(c));
  }
  wake();
}

void Reception::shutdown() {
  if (stopping_.exchange(true)) return;
  wake();
  if (receiver_.joinable()) receiver_.join();
  {
    std::lock_guard lock{work_mutex_};
    workers_stop_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
  // Connections handed back after the reception thread stopped.
  std::lock_guard lock{handoff_mutex_};
  for (auto& c : handoff_) close_now(c->fd);
  handoff_.clear();
}

void Reception::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

void Reception::close_now(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
  --counters_.open;
}

void Reception::forget(int fd) {
  epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
  watched_.erase(fd);
}

void Reception::receive_loop() {
  std::vector<epoll_event> events(64);
  auto next_sweep = Clock::now();
  while (!stopping_) {
    const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), kTickMs);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t count;
        [[maybe_unused]] const auto r = ::read(wake_fd_, &count, sizeof count);
        std::vector<Owned> adopted;
        {
          std::lock_guard lock{handoff_mutex_};
          adopted.swap(handoff_);
        }
        for (auto& c : adopted) adopt(std::move(c));
      } else if (const auto it = watched_.find(fd); it != watched_.end()) {
        on_readable(*it->second);
      }
    }
    if (Clock::now() >= next_sweep) {
      sweep();
      next_sweep = Clock::now() + std::chrono::milliseconds{kTickMs};
    }
  }
  for (auto& [fd, c] : watched_) close_now(fd);
  watched_.clear();
}

void Reception::adopt(Owned connection) {
  Connection& c = *connection;
  const int fd = c.fd;
  if (c.served == 0 && static_cast<std::size_t>(counters_.open.load()) > limits_.max_connections &&
      !evict_idle()) {
    // Too many connections even without idle ones: this one is told to come back.
    ++counters_.rejected_busy;
    watched_.emplace(fd, std::move(connection));
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    refuse(*watched_.at(fd), 503, "busy", "the server has too many open connections; retry shortly", 1);
    return;
  }
  watched_.emplace(fd, std::move(connection));
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;
  event.data.fd = fd;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
  if (!c.in.empty()) advance(c);  // a pipelined request may already be here
}

bool Reception::evict_idle() {
  Connection* oldest = nullptr;
  for (auto& [fd, c] : watched_) {
    if (c->phase == Connection::Phase::kIdle && (!oldest || c->idle_since < oldest->idle_since)) {
      oldest = c.get();
    }
  }
  if (!oldest) return false;
  ++counters_.idle_closed;
  const int fd = oldest->fd;
  forget(fd);
  close_now(fd);
  return true;
}

void Reception::on_readable(Connection& c) {
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      if (c.phase == Connection::Phase::kClosing) continue;  // drained
      if (c.phase == Connection::Phase::kIdle) {
        c.phase = Connection::Phase::kReading;
        c.deadline = Clock::now() + limits_.request_timeout;
      }
      c.in.append(buffer, static_cast<std::size_t>(n));
      if (c.in.size() > limits_.max_request_bytes + sizeof buffer) break;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    c.peer_closed = true;  // end of stream, or a reset
    break;
  }
  const int fd = c.fd;
  const bool peer_closed = c.peer_closed;
  if (c.phase == Connection::Phase::kReading && !c.in.empty()) advance(c);
  // Not queued for a worker (which owns it now): nothing more can arrive.
  if (peer_closed && watched_.count(fd)) {
    forget(fd);
    close_now(fd);
  }
}

void Reception::advance(Connection& c) {
  const Framing framing = frame_request(c.in, limits_.max_request_bytes);
  if (framing.kind == Framing::Kind::kIncomplete) {
    if (c.phase == Connection::Phase::kIdle) {
      c.phase = Connection::Phase::kReading;
      c.deadline = Clock::now() + limits_.request_timeout;
    }
    return;
  }
  if (framing.kind == Framing::Kind::kError) {
    ++counters_.too_large;
    refuse(c, framing.status, framing.code, framing.message);
    return;
  }
  c.request_bytes = framing.length;
  c.search = is_search(c);
  const int fd = c.fd;
  const SearchAdmission& admission = server_.admission_;
  std::unique_lock lock{work_mutex_};
  // A search waits for a slot in its own queue; while slots are free it only waits for a
  // thread, like any request.
  const bool slots_busy = admission.slots && admission.slots->running() >= admission.slots->limit();
  const bool full = c.search ? searches_.size() >= (slots_busy ? admission.queue : limits_.queue)
                             : work_.size() >= limits_.queue;
  if (full) {
    lock.unlock();
    ++counters_.rejected_busy;
    refuse(c, 503, "busy",
           c.search ? "every search slot is busy and the search queue is full; retry shortly"
                    : "the server is answering too many requests; retry shortly",
           1);
    return;
  }
  Owned owned = std::move(watched_.at(fd));
  epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
  watched_.erase(fd);
  owned->queued_at = Clock::now();
  (owned->search ? searches_ : work_).push_back(std::move(owned));
  ++(c.search ? counters_.searches_queued : counters_.queued);
  lock.unlock();
  work_ready_.notify_one();
}

bool Reception::is_search(const Connection& c) const {
  if (!server_.admission_.is_search) return false;
  const std::string_view line = std::string_view{c.in}.substr(0, c.in.find('\n'));
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return false;
  const std::size_t end = line.find(' ', space + 1);
  return server_.admission_.is_search(line.substr(0, space),
                                      line.substr(space + 1, end == std::string_view::npos ? end : end - space - 1));
}

Reception::Owned Reception::next_work(std::optional<search::ConcurrencyLimit::Permit>& slot) {
  if (!work_.empty()) {
    Owned c = std::move(work_.front());
    work_.pop_front();
    --counters_.queued;
    return c;
  }
  if (searches_.empty()) return nullptr;
  if (search::ConcurrencyLimit* slots = server_.admission_.slots) {
    slot = slots->try_acquire();
    if (!slot) return nullptr;
  }
  Owned c = std::move(searches_.front());
  searches_.pop_front();
  --counters_.searches_queued;
  return c;
}

void Reception::expire_searches() {
  std::vector<Owned> expired;
  {
    std::lock_guard lock{work_mutex_};
    const auto oldest = Clock::now() - server_.admission_.max_wait;
    while (!searches_.empty() && searches_.front()->queued_at < oldest) {
      expired.push_back(std::move(searches_.front()));
      searches_.pop_front();
      --counters_.searches_queued;
    }
  }
  for (auto& c : expired) {
    ++counters_.rejected_busy;
    const int fd = c->fd;
    Connection& kept = *watched_.emplace(fd, std::move(c)).first->second;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    refuse(kept, 503, "busy",
           fmt::format("no search slot came free within {} ms; retry shortly",
                       server_.admission_.max_wait.count()),
           1);
  }
}

void Reception::refuse(Connection& c, int status, const std::string& code,
                       const std::string& message, int retry_after) {
  const std::string response = ConnectionServer::raw_error(status, code, message, retry_after);
  [[maybe_unused]] const auto sent = ::send(c.fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(c.fd, SHUT_WR);
  c.phase = Connection::Phase::kClosing;
  c.in.clear();
  c.deadline = Clock::now() + kLingerTime;
}

void Reception::sweep() {
  expire_searches();
  const auto now = Clock::now();
  std::vector<int> expired;
  for (auto& [fd, c] : watched_) {
    if (now >= c->deadline) expired.push_back(fd);
  }
  for (const int fd : expired) {
    Connection& c = *watched_.at(fd);
    if (c.phase == Connection::Phase::kReading && !c.in.empty()) {
      ++counters_.timed_out;
      refuse(c, 408, "request_timeout",
             fmt::format("the request was not received within {} ms",
                         limits_.request_timeout.count()));
      continue;
    }
    if (c.phase == Connection::Phase::kIdle) ++counters_.idle_closed;
    forget(fd);
    close_now(fd);
  }
}

void Reception::work_loop() {
  for (;;) {
    Owned c;
    std::optional<search::ConcurrencyLimit::Permit> slot;
    {
      std::unique_lock lock{work_mutex_};
      work_ready_.wait(lock, [&] { return (c = next_work(slot)) || (workers_stop_ && work_.empty() && searches_.empty()); });
      if (!c) return;
    }
    serve(std::move(c));
    if (slot) {
      slot.reset();
      work_ready_.notify_one();  // a waiting search may take the slot
    }
  }
}

void Reception::serve(Owned c) {
  ++counters_.busy_workers;
  BufferedStream stream{*c, limits_.write_timeout};
  const bool close = stopping_ || c->served + 1 >= limits_.keep_alive_requests;
  bool closed = false;
  bool ok = false;
  try {
    ok = server_.answer(stream, close, closed);
  } catch (const std::exception& e) {
    spdlog::error("a request failed outside its handler: {}", e.what());
  }
  if (server_.request_done_) server_.request_done_();
  --counters_.busy_workers;
  c->in.erase(0, std::min(stream.consumed(), c->in.size()));
  ++c->served;
  if (!ok || close || closed || stopping_ || c->peer_closed) {
    close_now(c->fd);
    return;
  }
  c->phase = Connection::Phase::kIdle;
  c->idle_since = Clock::now();
  c->deadline = c->idle_since + limits_.keep_alive_idle;
  {
    std::lock_guard lock{handoff_mutex_};
    handoff_.push_back(std::move(c));
  }
  wake();
}

}  // namespace clippings::http
