/// @file http_server.cpp
#include "http_server.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <xapian.h>

#include "reply.h"

namespace clippings::http {
namespace {

using Clock = std::chrono::steady_clock;

/// A response that makes no progress for this long is abandoned.
constexpr time_t kWriteTimeoutSeconds = 30;
/// Seconds a client is asked to wait after a 503.
constexpr const char* kRetryAfterSeconds = "1";
/// Connections the kernel holds for accept(). Debian's compiled cpp-httplib listens with 5, so
/// a burst of new connections overflowed the queue and the dropped SYNs were retried by clients
/// one second later (1 s added to a search). The kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 1024;

/// The request a worker thread is answering. A worker answers one request at a time, from the
/// pre-routing hook to the end of its response, so the thread is the natural owner of this
/// state; it is reset when the request is done (ConnectionServer::on_request_done).
struct RequestState {
  std::string id;
  Clock::time_point start;
  bool active = false;
  std::string route;  ///< the metrics label
};
thread_local RequestState t_request;

/// Requests that run a search or read articles wait for a search slot.
bool is_search(std::string_view method, std::string_view target) {
  return (method == "GET" || method == "HEAD") &&
         (target.starts_with("/api/search") || target.starts_with("/api/articles/"));
}

SearchAdmission search_admission(const ServerSettings& s, search::ConcurrencyLimit& slots) {
  return {is_search, &slots, static_cast<std::size_t>(s.search_queue),
          std::chrono::milliseconds{s.search_wait_ms}};
}

ConnectionLimits connection_limits(const ServerSettings& s) {
  ConnectionLimits limits;
  limits.workers = s.threads;
  limits.queue = static_cast<std::size_t>(s.queue_size);
  limits.max_connections = static_cast<std::size_t>(s.max_connections);
  limits.max_request_bytes = s.max_request_bytes;
  limits.request_timeout = std::chrono::milliseconds{s.request_timeout_ms};
  limits.keep_alive_idle = std::chrono::milliseconds{s.keep_alive_ms};
  limits.keep_alive_requests = static_cast<std::size_t>(s.keep_alive_requests);
  limits.write_timeout = std::chrono::seconds{kWriteTimeoutSeconds};
  return limits;
}

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";


std::atomic<std::uint64_t> g_request_counter{0};

std::string exception_message(std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const Xapian::Error& e) {
    return e.get_description();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

bool origin_allowed(const std::vector<std::string>& allowed, const std::string& origin) {
  return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

}  // namespace

std::string make_request_id(const std::string& prefix) {
  return fmt::format("{}-{:06x}", prefix, ++g_request_counter);
}

bool valid_request_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
         });
}

std::string loggable(const std::string& text, std::size_t limit) {
  std::string out;
  for (const unsigned char c : text.substr(0, limit)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > limit) out += "...";
  return out;
}

HttpServer::HttpServer(Config config)
    : context_(std::move(config)),
      server_(connection_limits(context_.config.server)),
      classifier_(route_table(context_)) {
  std::random_device random;
  id_prefix_ = fmt::format("{:08x}", random());
  server_.admit_searches(search_admission(context_.config.server, context_.searchers.search_slots()));
  context_.searchers.observe_shards(&context_.metrics);
  context_.metrics.watch(&server_.counters(), &context_.searchers.search_slots(),
                         &context_.searchers.expensive_slots());
  register_routes(server_, context_);
  install_hooks();
}

HttpServer::~HttpServer() {
  stop();
}

bool HttpServer::bind(std::string& error) {
  // cpp-httplib sets SO_REUSEPORT by default, which lets a second server bind a port that is
  // already serving: keep only SO_REUSEADDR so "port in use" is reported.
  socket_t listening = INVALID_SOCKET;  // the last socket made: the one bound, on success
  server_.set_socket_options([&listening](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof yes);
    listening = sock;
  });
  const auto& host = context_.config.server.host;
  const int port = context_.config.server.port;
  if (port == 0) {
    port_ = server_.bind_to_any_port(host);
  } else {
    port_ = server_.bind_to_port(host, port) ? port : -1;
  }
  // listen() again on a listening socket only sets its backlog.
  if (port_ > 0 && listening != INVALID_SOCKET) ::listen(listening, kListenBacklog);
  if (port_ > 0) return true;
  error = fmt::format("cannot listen on {}:{}: {}", host, port,
                      errno ? std::strerror(errno) : "address not available");
  return false;
}

bool HttpServer::listen() {
  return server_.listen_after_bind();
}

void HttpServer::stop() {
  if (server_.is_running()) server_.stop();
}

void HttpServer::install_hooks() {
  const auto& settings = context_.config.server;
  server_.set_payload_max_length(settings.max_request_bytes);
  server_.on_request_done([] { t_request = {}; });

  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return begin_request(req, res) ? httplib::Server::HandlerResponse::Handled
                                   : httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors the library answers itself (404, 414, 413, 400 for unparsable requests) get the same
  // JSON body as ours.
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        Reply reply = error_reply(Error{res.status, code_for_status(res.status), status_text(res.status), {}});
        res.set_content(reply.body, reply.content_type.c_str());
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        handle_exception(req, res, ep);
      });
  server_.set_post_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { add_common_headers(req, res); });
  server_.set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });
}

bool HttpServer::begin_request(const httplib::Request& req, httplib::Response& res) {
  const std::string sent = req.get_header_value("X-Request-Id");
  t_request = {valid_request_id(sent) ? sent : make_request_id(id_prefix_), Clock::now(), true,
               classifier_.label(req.path)};
  // httplib has no handlers for these methods and would call them malformed (400).
  if (req.method != "TRACE" && req.method != "CONNECT") return false;
  const Reply reply = error_reply(
      Error{405, "method_not_allowed", fmt::format("{} is not allowed here; use GET", req.method), {}});
  res.status = reply.status;
  res.set_header("Allow", "GET, HEAD, OPTIONS");
  res.set_content(reply.body, reply.content_type.c_str());
  return true;
}

void HttpServer::handle_exception(const httplib::Request& req, httplib::Response& res,
                                  std::exception_ptr ep) {
  const std::string id = t_request.active ? t_request.id : make_request_id(id_prefix_);
  spdlog::error("request {} {} {} failed: {}", id, loggable(req.method), loggable(req.target),
                exception_message(ep));
  const Reply reply = error_reply(
      Error{500, "internal_error",
            fmt::format("the server failed to answer; quote request id {} when reporting it", id),
            {}});
  res.status = reply.status;
  res.headers.erase("Content-Disposition");
  res.set_content(reply.body, reply.content_type.c_str());
}

void HttpServer::add_common_headers(const httplib::Request& req, httplib::Response& res) const {
  if (!t_request.active) t_request = {make_request_id(id_prefix_), Clock::now(), true, {}};
  res.set_header("X-Request-Id", t_request.id);
  if (res.status == 503 && !res.has_header("Retry-After")) res.set_header("Retry-After", kRetryAfterSeconds);
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  const auto& allowed = context_.config.server.cors_origins;
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty() || allowed.empty()) return;
  if (origin_allowed(allowed, "*")) {
    res.set_header("Access-Control-Allow-Origin", "*");
  } else if (origin_allowed(allowed, origin)) {
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Vary", "Origin");
  } else {
    return;
  }
  res.set_header("Access-Control-Expose-Headers", "X-Request-Id, X-Total-Count, X-Export-Rows, X-Export-Truncated, X-Missing-Shards, Content-Disposition");
}

void HttpServer::log_request(const httplib::Request& req, const httplib::Response& res) {
  const double seconds =
      t_request.active ? std::chrono::duration<double>(Clock::now() - t_request.start).count() : 0.0;
  const std::string route = !t_request.route.empty() ? t_request.route
                            : req.path.empty()        ? "unmatched"
                                                      : classifier_.label(req.path);
  context_.metrics.observe(route, req.method, res.status, seconds);
  if (context_.config.server.access_log) {
    spdlog::info("{} {} {} {:.1f}ms id={}", req.method.empty() ? "-" : loggable(req.method, 16),
                 req.target.empty() ? "-" : loggable(req.target), res.status, seconds * 1000,
                 t_request.id);
  }
}

}  // namespace clippings::http
