/// @file workers.cpp
#include "search/workers.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace clippings::search {
namespace {

/// How long a thread waits for work before it ends: the threads a burst of searches started
/// are given back once it has passed.
constexpr std::chrono::seconds kIdleLimit{30};

class Workers {
 public:
  void run(std::function<void()> task) {
    std::unique_lock lock{mutex_};
    if (idle_.empty()) {
      lock.unlock();
      std::thread([this, first = std::move(task)]() mutable { work(std::move(first)); }).detach();
      return;
    }
    Worker* worker = idle_.back();
    idle_.pop_back();
    worker->task = std::move(task);
    // Still locked: the worker cannot have ended (it looks under the lock) before it is woken.
    worker->wake.notify_one();
  }

 private:
  /// A thread waiting for work, on its own stack.
  struct Worker {
    std::function<void()> task;
    std::condition_variable wake;
  };

  void work(std::function<void()> task) {
    Worker self;
    while (task) {
      task();
      task = nullptr;
      std::unique_lock lock{mutex_};
      idle_.push_back(&self);
      if (!self.wake.wait_for(lock, kIdleLimit, [&self] { return static_cast<bool>(self.task); })) {
        std::erase(idle_, &self);
        return;
      }
      task = std::move(self.task);
      self.task = nullptr;
    }
  }

  std::mutex mutex_;
  std::vector<Worker*> idle_;
};

}  // namespace

void run_on_worker(std::function<void()> task) {
  // Never destroyed: detached threads may still wait on it while the program exits.
  static Workers* const workers = new Workers;
  workers->run(std::move(task));
}

}  // namespace clippings::search
