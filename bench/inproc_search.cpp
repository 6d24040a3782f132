/// @file inproc_search.cpp
/// The engine's limit: the same searches as the HTTP API, through clippings::Searcher in
/// this process (one Searcher per client thread, as the server keeps one per worker).
#include <chrono>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "config.h"
#include "query_set.h"
#include "search/searcher.h"

namespace {

struct Options {
  std::string database;
  bool snippets = true;
  bool facets = true;
};

clippings::SearchRequest request_for(const clippings::bench::BenchQuery& query,
                                     const Options& options) {
  clippings::SearchRequest request;
  request.q = query.q;
  if (!query.outlet.empty()) request.outlets.push_back(query.outlet);
  request.from = query.from;
  request.to = query.to;
  request.size = 10;
  request.interval = clippings::Interval::kMonth;
  request.snippets = options.snippets;
  request.facets = options.facets;
  return request;
}

clippings::bench::QueryFn make_client(const Options& options) {
  auto config = clippings::default_config();
  config.database = options.database;
  auto searcher = std::make_shared<clippings::Searcher>(config);
  if (!searcher->ready()) throw std::runtime_error(searcher->not_ready_reason());
  return [searcher, options](const clippings::bench::BenchQuery& query) {
    clippings::bench::Record record{query.number, 0, -1};
    const auto request = request_for(query, options);
    const auto start = std::chrono::steady_clock::now();
    auto response = searcher->search(request);
    record.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                          start).count();
    if (response) {
      record.total = response->total_articles;  // as the peers count: copies included
    } else {
      std::cerr << "query " << query.number << " (" << query.q
                << "): " << response.error().message << '\n';
    }
    return record;
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times clippings::Searcher in-process over a query mix (no HTTP)"};
  Options options;
  std::string queries_path, out_path;
  int clients = 1;
  bool no_snippets = false, no_facets = false;
  app.add_option("--db", options.database, "Clippings database directory")->required();
  app.add_option("--queries", queries_path, "queries.tsv")->required();
  app.add_option("--clients", clients, "concurrent client threads")->check(CLI::Range(1, 256));
  app.add_flag("--no-snippets", no_snippets, "skip snippets (to see what they cost)");
  app.add_flag("--no-facets", no_facets, "skip both facets (to see what they cost)");
  bool warm_up = false;
  app.add_flag("--warmup", warm_up, "each client runs the mix once untimed first");
  app.add_option("--out", out_path, "JSON results (default: stdout)");
  CLI11_PARSE(app, argc, argv);
  options.snippets = !no_snippets;
  options.facets = !no_facets;
  try {
    const auto queries = clippings::bench::load_queries(queries_path);
    const auto make = [&] { return make_client(options); };
    auto result = clippings::bench::run_clients(queries, clients, make, warm_up);
    clippings::bench::write_json(result, out_path);
    return result.errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "clippings-bench-inproc: " << e.what() << '\n';
    return 2;
  }
}
