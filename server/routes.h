/// @file routes.h
/// The route table: every endpoint of the server, in one place.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <httplib.h>

#include "config.h"
#include "metrics.h"
#include "searcher_pool.h"

namespace clippings::http {

/// What the routes share: settings, the searchers, the metrics. One per server.
struct ServerContext {
  explicit ServerContext(Config settings);

  Config config;
  std::filesystem::path web_root;  ///< canonical when the directory exists
  SearcherPool searchers;
  Metrics metrics;
};

/// One endpoint.
struct Route {
  std::string method;   ///< "GET", "OPTIONS", or "*" for the other methods' catch-all
  std::string name;     ///< the OpenAPI path ("/api/articles/{id}") and the metrics route label
  std::string pattern;  ///< regular expression over the decoded path
  httplib::Server::Handler handler;
  bool documented = true;  ///< listed in openapi.json (catch-alls are not)
};

/// Every route, in matching order.
std::vector<Route> route_table(ServerContext& context);

/// Registers route_table() on `server`.
void register_routes(httplib::Server& server, ServerContext& context);

/// The metrics label of a request path: the name of the first GET route matching it, else
/// "unmatched". Methods do not matter: POST /api/search is counted under /api/search.
class RouteClassifier {
 public:
  explicit RouteClassifier(const std::vector<Route>& routes);
  std::string label(const std::string& path) const;

 private:
  std::vector<std::pair<std::regex, std::string>> routes_;
};

}  // namespace clippings::http
