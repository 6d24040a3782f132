/// @file searcher_pool.cpp
#include "searcher_pool.h"

#include <thread>

#include "search/shards.h"

namespace clippings::http {
namespace {

/// How many databases the server searches: the columns cache keeps each one's revisions.
std::size_t database_count(const Config& config) {
  const auto paths = search::shard_paths(config);
  return paths ? paths->size() : 1;
}

std::size_t search_slot_count(const ServerSettings& settings) {
  if (settings.max_searches > 0) return static_cast<std::size_t>(settings.max_searches);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

SearcherPool::SearcherPool(Config config)
    : config_(std::move(config)),
      facet_columns_(std::make_shared<search::FacetColumnsCache>(database_count(config_))),
      slots_(std::make_shared<search::ConcurrencyLimit>(search_slot_count(config_.server))),
      expensive_(std::make_shared<search::ConcurrencyLimit>(
          static_cast<std::size_t>(config_.server.max_expensive_searches))) {}

SearcherPool::Lease::~Lease() {
  if (!searcher_) return;  // moved from
  std::lock_guard lock{pool_->mutex_};
  pool_->idle_.push_back(std::move(searcher_));
}

SearcherPool::Lease SearcherPool::acquire() {
  search::ShardObserver* observer = nullptr;
  {
    std::lock_guard lock{mutex_};
    if (!idle_.empty()) {
      auto searcher = std::move(idle_.back());
      idle_.pop_back();
      return Lease{*this, std::move(searcher)};
    }
    ++created_;
    observer = observer_;
  }
  // Opening happens lazily in Searcher::ready(), outside the lock.
  auto searcher = std::make_unique<Searcher>(config_, facet_columns_, expensive_);
  searcher->observe_shards(observer);
  return Lease{*this, std::move(searcher)};
}

void SearcherPool::observe_shards(search::ShardObserver* observer) {
  std::lock_guard lock{mutex_};
  observer_ = observer;
  for (auto& searcher : idle_) searcher->observe_shards(observer);
}

std::size_t SearcherPool::created() const {
  std::lock_guard lock{mutex_};
  return created_;
}

}  // namespace clippings::http
