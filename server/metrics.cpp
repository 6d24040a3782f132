/// @file metrics.cpp
#include "metrics.h"

#include <set>

#include <fmt/format.h>
#include <httplib.h>

namespace clippings::http {

#ifndef CLIPPINGS_VERSION
#define CLIPPINGS_VERSION "unknown"
#endif

std::string method_label(std::string_view method) {
  static const std::set<std::string_view> kMethods = {"GET",    "HEAD",    "POST", "PUT",
                                                      "DELETE", "OPTIONS", "PATCH"};
  return kMethods.count(method) ? std::string{method} : "other";
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

void Metrics::observe(std::string_view route, std::string_view method, int status,
                      double seconds) {
  std::size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  std::lock_guard lock{mutex_};
  ++requests_[{std::string{route}, method_label(method), status}];
  Histogram& h = durations_[std::string{route}];
  if (bucket < kLatencyBuckets.size()) ++h.buckets[bucket];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(std::optional<Xapian::doccount> articles) const {
  std::string out;
  out += "# HELP clippings_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE clippings_http_requests_total counter\n";
  std::lock_guard lock{mutex_};
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("clippings_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       escape_label(route), method, status, count);
  }
  out += "# HELP clippings_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE clippings_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string label = escape_label(route);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += fmt::format("clippings_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         label, kLatencyBuckets[i], cumulative);
    }
    out += fmt::format("clippings_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       label, h.count);
    out += fmt::format("clippings_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label, h.sum);
    out += fmt::format("clippings_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                       h.count);
  }
  if (articles) {
    out += "# HELP clippings_articles_indexed Articles in the index.\n";
    out += "# TYPE clippings_articles_indexed gauge\n";
    out += fmt::format("clippings_articles_indexed {}\n", *articles);
  }
  out += "# HELP clippings_build_info Versions of the server and its libraries; always 1.\n";
  out += "# TYPE clippings_build_info gauge\n";
  out += fmt::format("clippings_build_info{{version=\"{}\",xapian=\"{}\",httplib=\"{}\"}} 1\n",
                     CLIPPINGS_VERSION, Xapian::version_string(), CPPHTTPLIB_VERSION);
  return out;
}

}  // namespace clippings::http
