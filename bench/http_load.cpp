/// @file http_load.cpp
/// Load generator for clippings-server: one keep-alive httplib::Client per client thread,
/// timing each GET /api/search from request to the last byte of the body.
#include <chrono>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "query_set.h"

namespace {

httplib::Params search_params(const clippings::bench::BenchQuery& query) {
  httplib::Params params{{"q", query.q}, {"size", "10"}, {"interval", "month"}};
  if (!query.outlet.empty()) params.emplace("outlet", query.outlet);
  if (!query.from.empty()) params.emplace("from", query.from);
  if (!query.to.empty()) params.emplace("to", query.to);
  return params;
}

clippings::bench::QueryFn make_client(const std::string& host, int port) {
  auto client = std::make_shared<httplib::Client>(host, port);
  client->set_keep_alive(true);
  // A search over an index the page cache does not hold yet may take seconds: an answer that
  // comes late is measured, not dropped (httplib's own limit is 5 s).
  client->set_read_timeout(std::chrono::seconds{60});
  return [client](const clippings::bench::BenchQuery& query) {
    clippings::bench::Record record{query.number, 0, -1};
    const auto start = std::chrono::steady_clock::now();
    auto response = client->Get("/api/search", search_params(query), httplib::Headers{});
    record.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                          start).count();
    if (response && response->status == 200) {
      const auto body = nlohmann::json::parse(response->body);
      // Every matching article, as the peers count; `total` counts stories, copies collapsed.
      record.total = body.at("total_articles").get<long long>();
      record.server_ms = body.at("took_ms").get<double>();
    } else {
      std::cerr << "query " << query.number << " (" << query.q << "): "
                << (response ? "HTTP " + std::to_string(response->status) + " " + response->body
                             : httplib::to_string(response.error()))
                << '\n';
    }
    return record;
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times GET /api/search of a running clippings-server over a query mix"};
  std::string host = "127.0.0.1", queries_path, out_path;
  int port = 0, clients = 1;
  app.add_option("--host", host);
  app.add_option("--port", port)->required();
  app.add_option("--queries", queries_path, "queries.tsv")->required();
  app.add_option("--clients", clients, "concurrent clients")->check(CLI::Range(1, 256));
  bool warm_up = false;
  app.add_flag("--warmup", warm_up, "each client runs the mix once untimed first");
  app.add_option("--out", out_path, "JSON results (default: stdout)");
  CLI11_PARSE(app, argc, argv);
  try {
    const auto queries = clippings::bench::load_queries(queries_path);
    const auto make = [&] { return make_client(host, port); };
    auto result = clippings::bench::run_clients(queries, clients, make, warm_up);
    clippings::bench::write_json(result, out_path);
    return result.errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "clippings-bench-http: " << e.what() << '\n';
    return 2;
  }
}
