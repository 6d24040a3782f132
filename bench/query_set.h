/// @file query_set.h
/// The benchmark's query mix and a fan-out of client threads that time each query.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace clippings::bench {

/// One line of queries.tsv: class, Xapian query text, outlet, from, to.
struct BenchQuery {
  int number = 0;  ///< line number from 0: the key that joins results across systems
  std::string kind, q, outlet, from, to;
};

/// One timed query: its number, wall milliseconds and the total it reported (-1 on error).
struct Record {
  int number = 0;
  double ms = 0;
  long long total = -1;
  double server_ms = -1;  ///< the search's own time as the server reported it; -1: not known
};

struct RunResult {
  std::vector<Record> records;
  double wall_s = 0;
  int errors = 0;
};

/// Runs one query on the calling client's own connection or searcher, timing only the search.
using QueryFn = std::function<Record(const BenchQuery&)>;
/// Called once on each client thread to build that client's QueryFn.
using ClientFactory = std::function<QueryFn()>;

/// Reads queries.tsv; throws std::runtime_error naming the file and line when malformed.
std::vector<BenchQuery> load_queries(const std::string& path);

/// Each of `clients` threads runs every query once, starting at a different offset, after
/// all clients are ready; wall time is from that start to the last client's end. With
/// `warm_up`, each client first runs the whole mix once untimed (its own caches warm up).
RunResult run_clients(const std::vector<BenchQuery>& queries, int clients,
                      const ClientFactory& make_client, bool warm_up);

/// {"wall_s": ..., "errors": ..., "records": [[number, ms, total], ...]}, with server_ms as a
/// fourth element of the records that have it.
void write_json(const RunResult& result, std::ostream& out);
/// write_json to the file at `path`, or to stdout when `path` is empty.
void write_json(const RunResult& result, const std::string& path);

}  // namespace clippings::bench
