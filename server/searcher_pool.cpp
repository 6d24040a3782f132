/// @file searcher_pool.cpp
#include "searcher_pool.h"

namespace clippings::http {

SearcherPool::Lease::~Lease() {
  if (!searcher_) return;  // moved from
  std::lock_guard lock{pool_->mutex_};
  pool_->idle_.push_back(std::move(searcher_));
}

SearcherPool::Lease SearcherPool::acquire() {
  {
    std::lock_guard lock{mutex_};
    if (!idle_.empty()) {
      auto searcher = std::move(idle_.back());
      idle_.pop_back();
      return Lease{*this, std::move(searcher)};
    }
    ++created_;
  }
  // Opening happens lazily in Searcher::ready(), outside the lock.
  return Lease{*this, std::make_unique<Searcher>(config_, facet_columns_)};
}

std::size_t SearcherPool::created() const {
  std::lock_guard lock{mutex_};
  return created_;
}

}  // namespace clippings::http
