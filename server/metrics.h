/// @file metrics.h
/// Request counters and latency histograms, rendered in the Prometheus text format 0.0.4.
/// Labels are bounded: routes come from the route table, methods from a fixed list.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include <xapian.h>

#include "connections.h"
#include "search/budget.h"
#include "search/searcher.h"

namespace clippings::http {

inline constexpr const char* kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds (seconds) of the latency histogram buckets; +Inf is implied.
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0};

class Metrics : public search::ShardObserver {
 public:
  /// Counts one finished request.
  void observe(std::string_view route, std::string_view method, int status, double seconds);
  void shard_opened(const std::string& shard, double seconds) override;
  void shard_failed(const std::string& shard) override;

  /// The exposition text; `index` gives the article gauges (and each shard's), left out when
  /// the index is not ready.
  std::string render(const std::optional<Stats>& index) const;

  /// Also reports these (owned by the server, which outlives its metrics' readers).
  void watch(const ConnectionCounters* connections, const search::ConcurrencyLimit* searches,
             const search::ConcurrencyLimit* expensive);

 private:
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};  ///< non-cumulative
    std::uint64_t count = 0;
    double sum = 0;
    void add(double seconds);
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  std::map<std::string, Histogram> shard_opens_;            ///< by shard
  std::map<std::string, std::uint64_t> shard_failures_;     ///< by shard
  const ConnectionCounters* connections_ = nullptr;
  const search::ConcurrencyLimit* searches_ = nullptr;
  const search::ConcurrencyLimit* expensive_ = nullptr;

  std::string render_load() const;
  /// The exposition of the histograms of `name`, one a value of the label `label`.
  static std::string render_histograms(std::string_view name, std::string_view help, std::string_view label,
                                       const std::map<std::string, Histogram>& histograms);
  /// Each shard's gauges (with `index`), the time each took to open and its failures.
  std::string render_shards(const std::optional<Stats>& index) const;
};

/// A method as a label value: the standard ones as they are, anything else "other".
std::string method_label(std::string_view method);
/// Escapes \, " and newline for a label value.
std::string escape_label(std::string_view value);

}  // namespace clippings::http
