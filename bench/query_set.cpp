/// @file query_set.cpp
/// Query file parsing, the client fan-out and the result format shared by both programs.
#include "query_set.h"

#include <barrier>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

namespace clippings::bench {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.emplace_back();
  return fields;
}

}  // namespace

std::vector<BenchQuery> load_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<BenchQuery> queries;
  std::string line;
  while (std::getline(in, line)) {
    auto fields = split_tabs(line);
    if (fields.size() != 5) {
      throw std::runtime_error(path + ":" + std::to_string(queries.size() + 1) +
                               ": expected 5 tab-separated fields");
    }
    queries.push_back({static_cast<int>(queries.size()), fields[0], fields[1], fields[2],
                       fields[3], fields[4]});
  }
  if (queries.empty()) throw std::runtime_error(path + ": no queries");
  return queries;
}

RunResult run_clients(const std::vector<BenchQuery>& queries, int clients,
                      const ClientFactory& make_client, bool warm_up) {
  RunResult result;
  std::mutex mutex;
  std::barrier start_line(clients + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      QueryFn run;
      try {
        run = make_client();
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        std::cerr << "client " << c << ": " << e.what() << '\n';
      }
      const std::size_t offset = c * queries.size() / clients;
      std::vector<Record> mine;
      mine.reserve(queries.size());
      if (run && warm_up) {
        for (const auto& query : queries) run(query);
      }
      start_line.arrive_and_wait();
      for (std::size_t i = 0; i < queries.size(); ++i) {
        const auto& query = queries[(offset + i) % queries.size()];
        mine.push_back(run ? run(query) : Record{query.number, 0, -1});
      }
      std::lock_guard lock(mutex);
      for (const auto& r : mine) result.errors += r.total < 0 ? 1 : 0;
      result.records.insert(result.records.end(), mine.begin(), mine.end());
    });
  }
  start_line.arrive_and_wait();
  const auto start = std::chrono::steady_clock::now();
  for (auto& t : threads) t.join();
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void write_json(const RunResult& result, std::ostream& out) {
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : result.records) {
    nlohmann::json record{r.number, r.ms, r.total};
    if (r.server_ms >= 0) record.push_back(r.server_ms);
    records.push_back(std::move(record));
  }
  out << nlohmann::json{{"wall_s", result.wall_s}, {"errors", result.errors},
                        {"records", records}}
      << '\n';
}

void write_json(const RunResult& result, const std::string& path) {
  if (path.empty()) return write_json(result, std::cout);
  std::ofstream out(path);
  write_json(result, out);
}

}  // namespace clippings::bench
