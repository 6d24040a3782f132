/// @file searcher_pool.h
/// Searchers for the worker threads. A Searcher is not thread-safe and owns Xapian handles, so
/// each request borrows one for its duration; the pool grows to the number of requests served
/// at once (the worker count) and no further. Owned by one server, never shared between servers.
///
/// The pool also holds the bound on searches running at once (server.max_searches), and on
/// expensive ones (server.max_expensive_searches).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "config.h"
#include "search/budget.h"
#include "search/facet_columns.h"
#include "search/searcher.h"

namespace clippings::http {

class SearcherPool {
 public:
  explicit SearcherPool(Config config);

  /// A borrowed Searcher, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Searcher> searcher)
        : pool_(&pool), searcher_(std::move(searcher)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    Searcher& operator*() { return *searcher_; }
    Searcher* operator->() { return searcher_.get(); }

   private:
    SearcherPool* pool_;
    std::unique_ptr<Searcher> searcher_;
  };

  Lease acquire();
  /// The bound on searches running at once (server.max_searches); ConnectionServer queues
  /// searches for it.
  search::ConcurrencyLimit& search_slots() { return *slots_; }
  /// The facet columns all Searchers of the pool share.
  search::FacetColumnsCache& facet_columns() { return *facet_columns_; }
  search::ConcurrencyLimit& expensive_slots() { return *expensive_; }
  /// Tells `observer` how each shard answers the Searchers created from now on.
  void observe_shards(search::ShardObserver* observer);
  /// Searchers created so far (for tests: one per concurrent request, not one per request).
  std::size_t created() const;

 private:
  Config config_;
  /// One copy of each revision's facet columns for all the pool's Searchers.
  std::shared_ptr<search::FacetColumnsCache> facet_columns_;
  std::shared_ptr<search::ConcurrencyLimit> slots_;
  std::shared_ptr<search::ConcurrencyLimit> expensive_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Searcher>> idle_;
  search::ShardObserver* observer_ = nullptr;
  std::size_t created_ = 0;
};

}  // namespace clippings::http
