/// @file metrics.cpp
#include "metrics.h"

#include <algorithm>

#include <fmt/format.h>
#include <httplib.h>

namespace clippings::http {

#ifndef CLIPPINGS_VERSION
#define CLIPPINGS_VERSION "unknown"
#endif

std::string method_label(std::string_view method) {
  // A constant array, not a std::set: a worker may still log a request while the program's
  // static objects are being destroyed.
  static constexpr std::array<std::string_view, 7> kMethods = {"GET",    "HEAD",    "POST", "PUT",
                                                               "DELETE", "OPTIONS", "PATCH"};
  const bool known = std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
  return known ? std::string{method} : "other";
}

std::string escape_label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::Histogram::add(double seconds) {
  std::size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  if (bucket < kLatencyBuckets.size()) ++buckets[bucket];
  ++count;
  sum += seconds;
}

void Metrics::observe(std::string_view route, std::string_view method, int status,
                      double seconds) {
  std::lock_guard lock{mutex_};
  ++requests_[{std::string{route}, method_label(method), status}];
  durations_[std::string{route}].add(seconds);
}

void Metrics::shard_opened(const std::string& shard, double seconds) {
  std::lock_guard lock{mutex_};
  shard_opens_[shard].add(seconds);
  shard_failures_.try_emplace(shard, 0);  // listed at 0 before its first failure
}

void Metrics::shard_failed(const std::string& shard) {
  std::lock_guard lock{mutex_};
  ++shard_failures_[shard];
}

std::string Metrics::render_histograms(std::string_view name, std::string_view help, std::string_view label,
                                       const std::map<std::string, Histogram>& histograms) {
  std::string out = fmt::format("# HELP {0} {1}\n# TYPE {0} histogram\n", name, help);
  for (const auto& [value, h] : histograms) {
    const std::string escaped = escape_label(value);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += fmt::format("{}_bucket{{{}=\"{}\",le=\"{}\"}} {}\n", name, label, escaped, kLatencyBuckets[i], cumulative);
    }
    out += fmt::format("{}_bucket{{{}=\"{}\",le=\"+Inf\"}} {}\n", name, label, escaped, h.count);
    out += fmt::format("{}_sum{{{}=\"{}\"}} {}\n", name, label, escaped, h.sum);
    out += fmt::format("{}_count{{{}=\"{}\"}} {}\n", name, label, escaped, h.count);
  }
  return out;
}

std::string Metrics::render(const std::optional<Stats>& index) const {
  std::string out;
  out += "# HELP clippings_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE clippings_http_requests_total counter\n";
  std::lock_guard lock{mutex_};
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("clippings_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       escape_label(route), method, status, count);
  }
  out += render_histograms("clippings_http_request_duration_seconds", "Time to answer a request, by route.",
                           "route", durations_);
  out += render_load();
  if (index) {
    out += "# HELP clippings_articles_indexed Articles in the index.\n";
    out += "# TYPE clippings_articles_indexed gauge\n";
    out += fmt::format("clippings_articles_indexed {}\n", index->articles);
  }
  out += render_shards(index);
  out += "# HELP clippings_build_info Versions of the server and its libraries; always 1.\n";
  out += "# TYPE clippings_build_info gauge\n";
  out += fmt::format("clippings_build_info{{version=\"{}\",xapian=\"{}\",httplib=\"{}\"}} 1\n",
                     CLIPPINGS_VERSION, Xapian::version_string(), CPPHTTPLIB_VERSION);
  return out;
}

std::string Metrics::render_shards(const std::optional<Stats>& index) const {
  std::string out;
  if (index && !index->shards.empty()) {
    out += "# HELP clippings_shard_articles Articles in each shard searched.\n";
    out += "# TYPE clippings_shard_articles gauge\n";
    for (const auto& shard : index->shards) {
      out += fmt::format("clippings_shard_articles{{shard=\"{}\"}} {}\n", escape_label(shard.path), shard.articles);
    }
    out += "# HELP clippings_shard_up Whether each shard is searched (0: down, left out).\n";
    out += "# TYPE clippings_shard_up gauge\n";
    for (const auto& shard : index->shards) {
      out += fmt::format("clippings_shard_up{{shard=\"{}\"}} {}\n", escape_label(shard.path),
                         shard.down.empty() ? 1 : 0);
    }
  }
  // Also while the index is not ready: a shard that is down is why.
  if (shard_failures_.empty()) return out;
  out += render_histograms("clippings_shard_open_seconds",
                           "Time to open each shard or move it to its newest revision, at the start of a request "
                           "(a remote shard: a round trip).",
                           "shard", shard_opens_);
  out += "# HELP clippings_shard_failures_total Times each shard could not be opened or reached, or its "
         "connection broke during a request.\n";
  out += "# TYPE clippings_shard_failures_total counter\n";
  for (const auto& [shard, count] : shard_failures_) {
    out += fmt::format("clippings_shard_failures_total{{shard=\"{}\"}} {}\n", escape_label(shard), count);
  }
  return out;
}

void Metrics::watch(const ConnectionCounters* connections, const search::ConcurrencyLimit* searches,
                    const search::ConcurrencyLimit* expensive) {
  std::lock_guard lock{mutex_};
  connections_ = connections;
  searches_ = searches;
  expensive_ = expensive;
}

std::string Metrics::render_load() const {
  std::string out;
  const auto metric = [&out](std::string_view name, std::string_view type, std::string_view help,
                             auto value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, type, value);
  };
  if (const ConnectionCounters* c = connections_) {
    metric("clippings_connections_open", "gauge", "Open client connections.", c->open.load());
    metric("clippings_requests_queued", "gauge", "Received requests waiting for a worker thread.",
           c->queued.load());
    metric("clippings_searches_queued", "gauge", "Received searches waiting for a search slot.",
           c->searches_queued.load());
    metric("clippings_workers_busy", "gauge", "Worker threads answering a request.", c->busy_workers.load());
    metric("clippings_connections_accepted_total", "counter", "Connections accepted.", c->accepted.load());
    out += "# HELP clippings_requests_refused_total Requests answered by the connection layer itself, by reason.\n";
    out += "# TYPE clippings_requests_refused_total counter\n";
    out += fmt::format("clippings_requests_refused_total{{reason=\"busy\"}} {}\n", c->rejected_busy.load());
    out += fmt::format("clippings_requests_refused_total{{reason=\"timeout\"}} {}\n", c->timed_out.load());
    out += fmt::format("clippings_requests_refused_total{{reason=\"too_large\"}} {}\n", c->too_large.load());
    metric("clippings_idle_connections_closed_total", "counter",
           "Keep-alive connections closed while idle.", c->idle_closed.load());
  }
  if (searches_) {
    metric("clippings_searches_running", "gauge", "Searches holding a search slot.", searches_->running());
  }
  if (expensive_) {
    metric("clippings_expensive_searches_running", "gauge",
           "Searches over server.expensive_query_terms terms running.", expensive_->running());
  }
  return out;
}

}  // namespace clippings::http
