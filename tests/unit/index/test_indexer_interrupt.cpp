/// @file test_indexer_interrupt.cpp
/// Interrupting the real clippings-indexer (SIGINT, SIGKILL) leaves a database that opens,
/// holds what was committed, and a second run completes it without duplicates.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <thread>

#include "helpers.h"
#include "support.h"

namespace clippings {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

const std::string kIndexer = CLIPPINGS_INDEXER_BIN;
constexpr int kArticles = 3000;

/// The indexer reading JSON Lines from a pipe this test writes to, so the test decides how
/// much input exists when the signal arrives.
class RunningIndexer {
 public:
  /// Its stderr goes to `log` (a file, not a terminal), or nowhere when empty.
  explicit RunningIndexer(std::vector<std::string> args, const fs::path& log = {}) {
    int in[2];
    if (::pipe(in) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(log.empty() ? null : ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
             STDERR_FILENO);
      ::close(in[0]);
      ::close(in[1]);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    stdin_ = in[1];
  }
  ~RunningIndexer() {
    if (stdin_ >= 0) ::close(stdin_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  RunningIndexer(const RunningIndexer&) = delete;
  RunningIndexer& operator=(const RunningIndexer&) = delete;

  void feed(const std::string& data) {
    std::size_t written = 0;
    while (written < data.size()) {
      const ssize_t n = ::write(stdin_, data.data() + written, data.size() - written);
      if (n <= 0) throw std::runtime_error("cannot write to the indexer");
      written += static_cast<std::size_t>(n);
    }
  }
  void signal(int signo) { ::kill(pid_, signo); }
  /// Ends the input.
  void close_input() {
    ::close(stdin_);
    stdin_ = -1;
  }
  /// Exit status, or 128 + signal; -1 if it did not end within `seconds`.
  int wait(int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  bool reaped_ = false;
};

/// Polls (bounded) until the database holds at least one committed document.
long wait_for_commit(const fs::path& db) {
  for (int i = 0; i < 600; ++i) {
    const long count = test::doccount_of(db);
    if (count > 0) return count;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return 0;
}

void check_complete(const fs::path& db) {
  const auto ids = test::ids_in(db);
  CHECK(ids.size() == kArticles);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == kArticles);
  CHECK(test::doccount_of(db) == kArticles);
}

TEST_CASE("after kill -9 the database opens with what was committed and a re-run completes it") {
  TempDir dir;
  const fs::path db = dir / "db";
  const std::string all = test::generated_articles(kArticles);
  const std::size_t half = all.find('\n', all.size() / 2) + 1;
  {
    RunningIndexer run{{kIndexer, "--config", "", "--db", db.string(), "--batch-size", "20",
                        "--threads", "2", "-"}};
    run.feed(all.substr(0, half));
    REQUIRE(wait_for_commit(db) > 0);
    run.signal(SIGKILL);
    CHECK(run.wait(30) == 128 + SIGKILL);
  }
  const long committed = test::doccount_of(db);
  CHECK(committed > 0);
  CHECK(committed <= kArticles);

  auto rerun = test::run_command({kIndexer, "--config", "", "--db", db.string(), "-"}, all);
  CAPTURE(rerun.err);
  CHECK(rerun.exit_code == 0);
  check_complete(db);
  // Nothing is left of the killed run's private shard directory.
  for (const auto& entry : fs::directory_iterator{dir.path()}) {
    CHECK(entry.path().filename().string().find(".indexing-") == std::string::npos);
  }
}

TEST_CASE("a database whose creation was killed before its first commit is created afresh") {
  TempDir dir;
  const fs::path db = dir / "db";
  // What Xapian leaves when killed while creating a glass database: a lock file, empty tables
  // and a revision file not yet moved into place.
  test::write_file(db / "flintlock", "");
  test::write_file(db / "postlist.glass", "");
  test::write_file(db / "termlist.glass", "");
  test::write_file(db / "v.tmp", std::string(77, 'x'));
  const std::string all = test::generated_articles(kArticles);
  auto rerun = test::run_command({kIndexer, "--config", "", "--db", db.string(), "-"}, all);
  CAPTURE(rerun.err);
  CHECK(rerun.exit_code == 0);
  check_complete(db);

  // A directory holding anything else is never overwritten.
  const fs::path other = dir / "other";
  test::write_file(other / "postlist.glass", "");
  test::write_file(other / "notes.txt", "mine");
  auto refused = test::run_command({kIndexer, "--config", "", "--db", other.string(), "-"}, all);
  CHECK(refused.exit_code == 2);
  CHECK(test::read_file(other / "notes.txt") == "mine");
}

TEST_CASE("SIGINT commits every complete article read so far and exits 130") {
  TempDir dir;
  const fs::path db = dir / "db";
  const std::string all = test::generated_articles(kArticles);
  const std::size_t half = all.find('\n', all.size() / 2) + 1;
  const auto sent = static_cast<long>(std::count(all.begin(), all.begin() + static_cast<long>(half), '\n'));
  {
    RunningIndexer run{{kIndexer, "--config", "", "--db", db.string(), "--batch-size", "20", "-"}};
    // Half the input and part of one more line: that partial line is not complete input.
    run.feed(all.substr(0, half + 10));
    REQUIRE(wait_for_commit(db) > 0);
    run.signal(SIGINT);
    CHECK(run.wait(60) == 130);
  }
  CHECK(test::doccount_of(db) == sent);

  auto rerun = test::run_command({kIndexer, "--config", "", "--db", db.string(), "-"}, all);
  CAPTURE(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(rerun.out.find("added " + std::to_string(kArticles - sent) + ", replaced " +
                       std::to_string(sent) + ",") == 0);
  check_complete(db);
}

TEST_CASE("off a terminal, progress is logged every few seconds") {
  // stderr is a file: instead of the redrawn line, an info line every ProgressLine::kLogInterval
  // (5 s). The input stays open until one has come, so this test takes that long.
  TempDir dir;
  const fs::path log = dir / "stderr.log";
  RunningIndexer run{{kIndexer, "--config", "", "--db", (dir / "db").string(), "-"}, log};
  run.feed(test::generated_articles(50));
  std::string text;
  for (int i = 0; i < 600 && text.find("indexing: ") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    text = test::read_file(log);
  }
  run.close_input();
  CHECK(run.wait(30) == 0);
  CAPTURE(text);
  CHECK(text.find(" info indexing: 0 of 1 files, ") != std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
}

}  // namespace
}  // namespace clippings
