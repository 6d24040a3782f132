/// @file routes.cpp
/// HTTP requests to handler calls: parameters parsed here, logic in handlers.cpp.
#include "routes.h"

#include <chrono>
#include <regex>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "atom_feed.h"
#include "csv_export.h"
#include "handlers.h"
#include "jsonl_export.h"
#include "params.h"
#include "static_files.h"

namespace clippings::http {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAllowedMethods = "GET, HEAD, OPTIONS";

void send(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  res.set_content(reply.body, reply.content_type.c_str());
}

template <typename Parsed>
bool parse_or_send(Result<Parsed>& parsed, httplib::Response& res) {
  if (parsed) return true;
  send(error_reply(parsed.error()), res);
  return false;
}

/// The raw (still percent-encoded) path of the request target.
std::string raw_path(const httplib::Request& req) {
  return req.target.substr(0, req.target.find('?'));
}

/// GET /api/articles/{id}, /api/articles/{id}/similar and /api/articles/{id}/copies. The
/// decoded path cannot tell an id ending in "%2Fsimilar" from the /similar suffix, so the raw
/// target decides.
void handle_article(ServerContext& context, const httplib::Request& req, httplib::Response& res) {
  static constexpr std::string_view kPrefix = "/api/articles/";
  static constexpr std::string_view kSuffix = "/similar";
  static constexpr std::string_view kCopiesSuffix = "/copies";
  const std::string path = raw_path(req);  // owns the characters `raw` views
  std::string_view raw{path};
  if (!raw.starts_with(kPrefix)) raw = {};  // absolute-form targets and the like
  raw.remove_prefix(std::min(raw.size(), kPrefix.size()));
  const bool similar = raw.ends_with(kSuffix) && raw.size() > kSuffix.size();
  if (similar) raw.remove_suffix(kSuffix.size());
  const bool copies = !similar && raw.ends_with(kCopiesSuffix) && raw.size() > kCopiesSuffix.size();
  if (copies) raw.remove_suffix(kCopiesSuffix.size());
  auto id = percent_decode(raw, "id");
  if (!parse_or_send(id, res)) return;
  if (id->empty()) return send(error_reply(not_found("no article id given")), res);
  auto searcher = context.searchers.acquire();
  if (copies) return send(get_copies(*searcher, *id), res);
  if (similar) {
    auto size = parse_similar_params(req.params);
    if (parse_or_send(size, res)) send(get_similar(*searcher, *id, *size), res);
    return;
  }
  auto q = parse_article_params(req.params, context.config.server);
  if (parse_or_send(q, res)) send(get_article(*searcher, *id, *q), res);
}

/// "http://host:port" as the client addressed us, for absolute links in feeds.
std::string base_url(const ServerContext& context, const httplib::Request& req) {
  static const std::regex kHost{R"([A-Za-z0-9.\-:\[\]]{1,255})"};
  std::string host = req.get_header_value("Host");
  if (!std::regex_match(host, kHost)) {
    host = fmt::format("{}:{}", context.config.server.host, context.config.server.port);
  }
  const bool https = req.get_header_value("X-Forwarded-Proto") == "https";
  return (https ? "https://" : "http://") + host;
}

/// The search page showing the same search: "base/?q=...&outlet=...&from=...&to=...".
std::string page_url(const std::string& base, const Params& params) {
  std::string query;
  for (const char* name : {"q", "outlet", "from", "to"}) {
    for (auto [it, end] = params.equal_range(name); it != end; ++it) {
      if (it->second.empty()) continue;
      query += fmt::format("{}{}={}", query.empty() ? "?" : "&", name, percent_encode(it->second));
    }
  }
  return base + "/" + query;
}

std::string now_rfc3339() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
}

httplib::Server::Handler search_route(ServerContext& context, SearchFormat format) {
  return [&context, format](const httplib::Request& req, httplib::Response& res) {
    auto request = parse_search_params(req.params, context.config.server, format);
    if (!parse_or_send(request, res)) return;
    auto searcher = context.searchers.acquire();
    if (format == SearchFormat::kJson) return send(get_search(*searcher, *request), res);
    const std::string base = base_url(context, req);
    const FeedLinks links{base, base + req.target, page_url(base, req.params), now_rfc3339()};
    send(search_atom(*searcher, *request, links), res);
  };
}

/// An export: the match pass runs here, so that its errors are answered as such; the rows
/// follow as they are written (see ExportJob).
httplib::Server::Handler export_route(ServerContext& context, const ExportFormat& format) {
  return [&context, &format](const httplib::Request& req, httplib::Response& res) {
    auto request = parse_export_params(req.params, context.config.server);
    if (!parse_or_send(request, res)) return;
    auto searcher = context.searchers.acquire();
    auto stream = searcher->stream(request->search, request->offset, request->limit);
    if (!parse_or_send(stream, res)) return;
    send_export(format, *request, std::move(searcher), std::move(*stream), res);
  };
}

/// A handler that needs only a searcher.
template <typename Fn>
httplib::Server::Handler with_searcher(ServerContext& context, Fn fn) {
  return [&context, fn](const httplib::Request&, httplib::Response& res) {
    auto searcher = context.searchers.acquire();
    send(fn(*searcher), res);
  };
}

void api_not_found(const httplib::Request& req, httplib::Response& res) {
  send(error_reply(not_found("no API endpoint at " + req.path)), res);
}

void preflight(const httplib::Request& req, httplib::Response& res) {
  res.status = 204;
  res.set_header("Allow", kAllowedMethods);
  if (req.has_header("Origin") && req.has_header("Access-Control-Request-Method")) {
    // The Origin check itself happens for every response (http_server.cpp); without an
    // allowed origin these headers are inert.
    res.set_header("Access-Control-Allow-Methods", kAllowedMethods);
    res.set_header("Access-Control-Allow-Headers", "Accept, Content-Type, X-Request-Id");
    res.set_header("Access-Control-Max-Age", "600");
  }
}

}  // namespace

ServerContext::ServerContext(Config settings)
    : config(std::move(settings)), searchers(config) {
  std::error_code ec;
  const fs::path root = fs::absolute(config.server.web_root, ec);
  const fs::path real = fs::canonical(root, ec);
  web_root = ec ? root : real;
}

std::vector<Route> route_table(ServerContext& context) {
  ServerContext& c = context;
  auto article = [&c](const httplib::Request& req, httplib::Response& res) { handle_article(c, req, res); };
  auto static_file = [&c](const httplib::Request& req, httplib::Response& res) {
    send(get_static(c.web_root, req.path), res);
  };
  auto wrong_method = [](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/api" || req.path.starts_with("/api/")) {
      // An unknown API path is 404 whatever the method; a known one only takes GET.
      static const std::regex kKnown{R"(/api/(search(\.csv|\.jsonl|\.atom)?|stats|openapi\.json|articles/.+))"};
      if (!std::regex_match(req.path, kKnown)) return api_not_found(req, res);
    }
    res.set_header("Allow", kAllowedMethods);
    send(error_reply(Error{405, "method_not_allowed",
                           fmt::format("{} is not allowed here; use GET", req.method), {}}),
         res);
  };
  return {
      {"GET", "/api/search", R"(/api/search)", search_route(c, SearchFormat::kJson)},
      {"GET", "/api/search.csv", R"(/api/search\.csv)", export_route(c, kCsvExport)},
      {"GET", "/api/search.jsonl", R"(/api/search\.jsonl)", export_route(c, kJsonLinesExport)},
      {"GET", "/api/search.atom", R"(/api/search\.atom)", search_route(c, SearchFormat::kAtom)},
      {"GET", "/api/articles/{id}/similar", R"(/api/articles/(.+)/similar)", article},
      {"GET", "/api/articles/{id}/copies", R"(/api/articles/(.+)/copies)", article},
      {"GET", "/api/articles/{id}", R"(/api/articles/(.+))", article},
      {"GET", "/api/stats", R"(/api/stats)", with_searcher(c, [](Searcher& s) { return get_stats(s); })},
      {"GET", "/api/openapi.json", R"(/api/openapi\.json)",
       [](const httplib::Request&, httplib::Response& res) { send(get_openapi(), res); }},
      {"GET", "/healthz", R"(/healthz)",
       [](const httplib::Request&, httplib::Response& res) { send(get_health(), res); }},
      {"GET", "/readyz", R"(/readyz)", with_searcher(c, [](Searcher& s) { return get_ready(s); })},
      {"GET", "/metrics", R"(/metrics)",
       with_searcher(c, [&c](Searcher& s) { return get_metrics(c.metrics, s); })},
      {"GET", "unmatched", R"(/api(/.*)?)", api_not_found, false},
      {"GET", "/{path}", R"(/.*)", static_file},
      {"OPTIONS", "preflight", R"(.*)", preflight, false},
      {"*", "wrong_method", R"(.*)", wrong_method, false},
  };
}

void register_routes(httplib::Server& server, ServerContext& context) {
  for (auto& route : route_table(context)) {
    if (route.method == "GET") {
      server.Get(route.pattern, route.handler);
    } else if (route.method == "OPTIONS") {
      server.Options(route.pattern, route.handler);
    } else {
      server.Post(route.pattern, route.handler);
      server.Put(route.pattern, route.handler);
      server.Patch(route.pattern, route.handler);
      server.Delete(route.pattern, route.handler);
    }
  }
}

RouteClassifier::RouteClassifier(const std::vector<Route>& routes) {
  for (const auto& route : routes) {
    if (route.method == "GET") routes_.emplace_back(std::regex{route.pattern}, route.name);
  }
}

std::string RouteClassifier::label(const std::string& path) const {
  for (const auto& [pattern, name] : routes_) {
    if (std::regex_match(path, pattern)) return name;
  }
  return "unmatched";
}

}  // namespace clippings::http
