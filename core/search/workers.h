/// @file workers.h
/// Threads kept waiting for work, for what a search asks of every remote shard at once.
#pragma once

#include <functional>

namespace clippings::search {

/// Runs `task` on a thread kept for such work: one waiting for it, else one started for it,
/// which then waits for more. Handing work to a waiting thread costs about half of starting
/// one (20 against 35 to 45 µs on the benchmark machine), and a search over remote shards
/// hands out a dozen or more. A task may hand out tasks and wait for them: none ever queues
/// behind another. A thread left waiting for a while ends. `task` must not throw.
void run_on_worker(std::function<void()> task);

}  // namespace clippings::search
