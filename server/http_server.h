/// @file http_server.h
/// The HTTP server: the route table plus what every response gets (request id, security and
/// CORS headers, JSON errors, access log, metrics) and the limits that keep bad clients out:
/// connections are read by ConnectionServer, where searches wait for one of a bounded number of
/// search slots while other requests go straight through.
#pragma once

#include <memory>
#include <string>

#include <httplib.h>

#include "config.h"
#include "connections.h"
#include "routes.h"

namespace clippings::http {

class HttpServer {
 public:
  explicit HttpServer(Config config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds config.server.host:port (port 0 picks a free one). On failure `error` says why.
  bool bind(std::string& error);
  /// The bound port.
  int port() const { return port_; }
  /// Serves until stop(); false if the listening socket failed. Every worker thread has
  /// finished and been joined when it returns.
  bool listen();
  /// Makes listen() return; safe from any thread.
  void stop();
  /// True once listen() accepts connections.
  bool is_running() const { return server_.is_running(); }

  ServerContext& context() { return context_; }
  /// What the connection layer did so far.
  const ConnectionCounters& connection_counters() const { return server_.counters(); }

 private:
  void install_hooks();
  void log_request(const httplib::Request& req, const httplib::Response& res);
  void handle_exception(const httplib::Request& req, httplib::Response& res, std::exception_ptr ep);
  /// Starts a request's state; answers it at once (true) when it must not reach the routes.
  bool begin_request(const httplib::Request& req, httplib::Response& res);
  void add_common_headers(const httplib::Request& req, httplib::Response& res) const;

  ServerContext context_;
  ConnectionServer server_;
  RouteClassifier classifier_;
  std::string id_prefix_;
  int port_ = 0;
};

/// A fresh request id: this server's random prefix and a counter.
std::string make_request_id(const std::string& prefix);

/// Whether a client-sent X-Request-Id may be reused: 1 to 64 of [A-Za-z0-9._-].
bool valid_request_id(const std::string& id);

/// Printable ASCII only, at most `limit` bytes: what goes into a log line from a request.
std::string loggable(const std::string& text, std::size_t limit = 300);

}  // namespace clippings::http
