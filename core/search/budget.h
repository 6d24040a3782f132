/// @file budget.h
/// What one search may cost: how many terms a query expands to, and how many costly searches
/// run at once. Xapian bounds each wildcard on its own; three hundred two-letter wildcards
/// OR-ed together still expand to tens of thousands of terms, so the whole query is counted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

#include <xapian.h>

#include "search/wildcards.h"

namespace clippings::search {

/// The terms `query` reads when it runs: its distinct plain terms plus what each distinct
/// wildcard expands to in `db` (each at most `per_wildcard`). A word parsed once per language
/// of the index counts once for each term it becomes. Counting stops once it passes `stop_after`.
/// With `kept` (over shards), every word of each pattern is read, and the words each pattern
/// keeps go to `kept` (wildcards.h).
std::size_t count_query_terms(const Xapian::Database& db, const Xapian::Query& query,
                              std::size_t per_wildcard, std::size_t stop_after, KeptWords* kept = nullptr);

/// A bound on how many of something run at once. Thread-safe; shared by the Searchers of a
/// server.
class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(std::size_t limit) : limit_(limit) {}

  /// Held while one runs; releases its place when destroyed.
  class Permit {
   public:
    explicit Permit(ConcurrencyLimit& owner) : owner_(&owner) {}
    Permit(Permit&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

   private:
    ConcurrencyLimit* owner_;
  };

  /// A place now, or nullopt when all are taken.
  std::optional<Permit> try_acquire();
  /// A place within `wait`, or nullopt: at once when `max_waiting` others already wait.
  std::optional<Permit> acquire(std::chrono::milliseconds wait, std::size_t max_waiting);

  std::size_t limit() const { return limit_; }
  std::size_t running() const;
  std::size_t waiting() const;

 private:
  void release();

  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t running_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace clippings::search
