/// @file test_progress.cpp
/// The progress line and the summary line.
#include <doctest/doctest.h>

#include <chrono>

#include "helpers.h"
#include "index/indexer.h"
#include "index/progress.h"

namespace clippings {
namespace {

TEST_CASE("progress lines show rate throughput and when the total is known an ETA") {
  const struct {
    ProgressSnapshot snapshot;
    const char* expected;
  } cases[] = {
      {{1000, 5'000'000, 0, 2.0}, "1000 articles  500/s  2.5 MB/s"},
      {{1000, 5'000'000, 20'000'000, 2.0}, "1000 articles  500/s  2.5 MB/s  25%  ETA 0:06"},
      {{0, 0, 10, 1.0}, "0 articles  0/s  0.0 MB/s  0%"},
      {{90000, 300'000'000, 600'000'000, 100.0}, "90000 articles  900/s  3.0 MB/s  50%  ETA 1:40"},
  };
  for (const auto& c : cases) {
    CHECK(format_progress(c.snapshot) == c.expected);
  }
}

TEST_CASE("progress log lines name files, articles and rates") {
  ProgressSnapshot s{1000, 5'000'000, 20'000'000, 2.0, 12, 40};
  CHECK(format_progress_log(s) ==
        "indexing: 12 of 40 files, 1000 articles, 500 articles/s, 2.5 MB/s, 25%, ETA 0:06");
  s.total_bytes = 0;
  CHECK(format_progress_log(s) == "indexing: 12 of 40 files, 1000 articles, 500 articles/s, 2.5 MB/s");
}

TEST_CASE("off a terminal, progress is a log line every few seconds") {
  using std::chrono::milliseconds;
  test::CapturedLog log;
  const auto start = ProgressLine::Clock::time_point{} + std::chrono::hours{1};
  ProgressLine line{ProgressMode::kLog, start};
  const ProgressSnapshot s{10, 0, 0, 1.0, 1, 3};
  const auto interval = std::chrono::duration_cast<milliseconds>(ProgressLine::kLogInterval);
  line.update(s, start);
  line.update(s, start + interval - milliseconds{1});
  CHECK(log.text().empty());
  line.update(s, start + interval);
  CHECK(log.text() == "info " + format_progress_log(s) + "\n");
  line.update(s, start + interval * 2 - milliseconds{1});
  line.update(s, start + interval * 2);
  line.clear();
  CHECK(log.text() == "info " + format_progress_log(s) + "\ninfo " + format_progress_log(s) + "\n");

  ProgressLine none{ProgressMode::kNone, start};
  none.update(s, start + interval * 10);
  CHECK(log.text().size() == 2 * ("info " + format_progress_log(s) + "\n").size());
}

TEST_CASE("exit codes: 0 all indexed 1 some rejected 130 interrupted") {
  IndexStats stats;
  CHECK(stats.exit_code() == kExitOk);
  stats.rejected = 2;
  CHECK(stats.exit_code() == kExitRejected);
  stats.interrupted = true;
  CHECK(stats.exit_code() == kExitInterrupted);
}

TEST_CASE("the summary names every count") {
  IndexStats stats;
  stats.added = 10;
  stats.replaced = 2;
  stats.unchanged = 5;
  stats.rejected = 1;
  stats.deleted = 3;
  stats.skipped = 4;
  stats.bytes = 2'000'000;
  stats.seconds = 2.0;
  CHECK(stats.summary() ==
        "added 10, replaced 2, unchanged 5, rejected 1, deleted 3, skipped 4; 6 articles/s, 1.0 MB/s, "
        "2.0 s");
}

}  // namespace
}  // namespace clippings
