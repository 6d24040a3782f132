/// @file connections.h
/// Connection handling in front of cpp-httplib's request parser, so that a few slow or idle
/// clients cannot hold the threads that answer requests.
///
/// cpp-httplib gives each connection a worker thread from accept to close: a client sending one
/// header byte every few seconds (its read timeout restarts with every byte) or idling on a
/// keep-alive connection keeps a worker for as long as it likes. Here one reception thread
/// watches every connection with epoll and reads each request (line, headers and body) into
/// memory under a total deadline; only a complete request is queued for a worker, which parses
/// and answers it and hands the connection back. Idle and half-sent connections cost a file
/// descriptor and a buffer, never a thread. A full queue is answered 503 with Retry-After by the
/// reception thread itself. Searches wait in a queue of their own for one of a bounded number of
/// search slots (SearchAdmission), so health checks never wait behind them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include <httplib.h>

#include "search/budget.h"

namespace clippings::http {

/// Which requests are searches, and how many run at once: a search waits for a slot in a queue
/// of its own, holding no thread, so that other requests are answered whatever the searches do.
struct SearchAdmission {
  /// Whether a request (its method and raw target) is a search.
  std::function<bool(std::string_view method, std::string_view target)> is_search;
  search::ConcurrencyLimit* slots = nullptr;  ///< searches running; null: no bound
  std::size_t queue = 64;                     ///< searches waiting; more are answered 503
  std::chrono::milliseconds max_wait{5000};   ///< a search waiting longer is answered 503
};

/// The limits of the connection front end (see ServerSettings for their meaning).
struct ConnectionLimits {
  int workers = 16;
  std::size_t queue = 256;
  std::size_t max_connections = 512;
  std::size_t max_request_bytes = 65536;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds keep_alive_idle{5000};
  std::size_t keep_alive_requests = 100;
  std::chrono::milliseconds write_timeout{30000};
};

/// What the front end did, for /metrics. Counters only grow; gauges are current values.
struct ConnectionCounters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> rejected_busy{0};       ///< 503: queue full or too many connections
  std::atomic<std::uint64_t> timed_out{0};           ///< 408: request not received in time
  std::atomic<std::uint64_t> too_large{0};           ///< 413, 414 or 431 before parsing
  std::atomic<std::uint64_t> idle_closed{0};         ///< keep-alive connections closed idle
  std::atomic<std::int64_t> open{0};                 ///< gauge: open connections
  std::atomic<std::int64_t> queued{0};               ///< gauge: requests waiting for a worker
  std::atomic<std::int64_t> searches_queued{0};      ///< gauge: searches waiting for a slot
  std::atomic<std::int64_t> busy_workers{0};         ///< gauge: workers answering a request
};

/// An httplib::Server whose accepted sockets go to the reception thread described above. Use
/// it as an httplib::Server (routes, hooks, bind, listen_after_bind, stop); listen returns once
/// every worker has finished and been joined.
class ConnectionServer : public httplib::Server {
 public:
  explicit ConnectionServer(ConnectionLimits limits);

  /// Before listen(): how searches are told apart and bounded.
  void admit_searches(SearchAdmission admission) { admission_ = std::move(admission); }

  const ConnectionLimits& limits() const { return limits_; }
  const ConnectionCounters& counters() const { return counters_; }

  /// Called on the worker thread after each request, answered or not: per-request state of
  /// the thread can be released there.
  void on_request_done(std::function<void()> hook) { request_done_ = std::move(hook); }

  /// The raw HTTP response the front end sends for an error it answers itself (JSON body,
  /// Connection: close); `retry_after` > 0 adds Retry-After.
  static std::string raw_error(int status, const std::string& code, const std::string& message,
                               int retry_after = 0);

 private:
  friend class Reception;
  /// Never called: accepted sockets are taken by the reception queue (see connections.cpp).
  bool process_and_close_socket(socket_t sock) override;
  /// Parses and answers one request from `stream`.
  bool answer(httplib::Stream& stream, bool close_connection, bool& connection_closed);

  ConnectionLimits limits_;
  SearchAdmission admission_;
  ConnectionCounters counters_;
  std::function<void()> request_done_;
};

}  // namespace clippings::http
