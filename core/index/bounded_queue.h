/// @file bounded_queue.h
/// A blocking multi-producer, multi-consumer queue with a fixed capacity: the back-pressure
/// that keeps the indexing pipeline's memory bounded.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace clippings {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Blocks while the queue is full; returns false (dropping `item`) once the queue is closed.
  bool push(T item) {
    std::unique_lock lock{mutex_};
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  /// Blocks until an item arrives; nullopt once the queue is closed and drained.
  std::optional<T> pop() {
    std::unique_lock lock{mutex_};
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    return take(lock);
  }

  /// Like pop(), but gives up after `timeout` (nullopt then too; check drained()).
  template <typename Duration>
  std::optional<T> pop_for(Duration timeout) {
    std::unique_lock lock{mutex_};
    not_empty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
    return take(lock);
  }

  /// No more pushes; consumers still receive what is queued.
  void close() {
    std::lock_guard lock{mutex_};
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  /// Closed and empty: nothing will ever come out again.
  bool drained() const {
    std::lock_guard lock{mutex_};
    return closed_ && items_.empty();
  }

 private:
  std::optional<T> take(std::unique_lock<std::mutex>&) {
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace clippings
