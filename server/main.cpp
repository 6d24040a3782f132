/// @file main.cpp
/// clippings-server: configuration, signals and the listening socket. The rest is clippings_http.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "config.h"
#include "http_server.h"
#include "logging.h"
#include "web_root.h"

namespace {

/// Exit status for configuration and start-up errors (bad flags, port in use).
constexpr int kExitStartup = 2;

struct Flags {
  std::string config_path;
  std::optional<std::string> db, host, web, log_level, log_format;
  std::optional<int> port, threads;
  std::vector<std::string> shards, spelling;
};

void apply(const Flags& flags, clippings::Config& config) {
  if (flags.db) {
    config.database = *flags.db;
    config.shards.clear();  // the flag names what to search
  }
  if (!flags.shards.empty()) config.shards = flags.shards;
  if (!flags.spelling.empty()) config.spelling = flags.spelling;
  if (flags.host) config.server.host = *flags.host;
  if (flags.port) config.server.port = *flags.port;
  if (flags.web) config.server.web_root = *flags.web;
  if (flags.threads) config.server.threads = *flags.threads;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.log_format) config.log_format = *flags.log_format;
}

/// Waits for SIGINT or SIGTERM (blocked in every thread) and stops the server: sigwait runs in
/// an ordinary thread, so stop() need not be async-signal-safe.
std::thread start_signal_thread(sigset_t signals, clippings::http::HttpServer& server) {
  return std::thread{[signals, &server] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
    server.stop();
  }};
}

void warn_if_not_ready(clippings::http::HttpServer& server) {
  auto searcher = server.context().searchers.acquire();
  if (!searcher->ready()) {
    spdlog::warn("the index is not ready ({}); /readyz and searches answer 503 until it is",
                 searcher->not_ready_reason());
  }
}

/// One heap per core, as searches run at once by default (server.max_searches), instead of
/// glibc's eight a core. A search's transient buffers are freed into the heap of the thread
/// that ran it, and each heap keeps the most it held: the list of every match a remote shard
/// sends is megabytes for a frequent word, and over the benchmark's remote shards the server
/// held 217 MiB after its query mix with glibc's heaps, 41 MiB with 2 (over one local database
/// 58 and 35 MiB), searching as fast. Called before any thread starts.
void limit_heaps() {
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
}

/// Sets config.server.web_root to the directory of the search page; false when there is none.
bool find_web_root(clippings::Config& config) {
  std::error_code ec;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto web_root = clippings::http::resolve_web_root(
      config.server.web_root,
      clippings::http::web_root_candidates(ec ? std::filesystem::path{} : executable,
                                           CLIPPINGS_BUILD_DIR, CLIPPINGS_SOURCE_DIR));
  if (!web_root) {
    std::cerr << "clippings-server: " << web_root.error().message << "\n";
    return false;
  }
  config.server.web_root = web_root->string();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Clippings search server: a JSON API and the search page over a Clippings index."};
  Flags flags;
  app.add_option("--config", flags.config_path, "YAML config file (default: $CLIPPINGS_CONFIG or ./config.yaml)");
  app.add_option("--db", flags.db, "database directory, or a Xapian stub database file of local databases");
  app.add_option("--spelling", flags.spelling,
                 "a database to suggest spellings from, instead of those searched (repeat it; made by "
                 "clippings-indexer --spelling-from)");
  app.add_option("--shard", flags.shards, "a database searched with the others given so (repeat it): a directory, or HOST:PORT of an xapian-tcpsrv");
  app.add_option("--host", flags.host, "address to listen on");
  app.add_option("--port", flags.port, "port to listen on")->check(CLI::Range(1, 65535));
  app.add_option("--web", flags.web,
                 "directory of the search page (default: found beside the program)");
  app.add_option("--threads", flags.threads, "worker threads")->check(CLI::Range(1, 1024));
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--log-format", flags.log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.set_version_flag("--version", std::string{"clippings-server "} + CLIPPINGS_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitStartup;
  }

  auto loaded = clippings::load_config(flags.config_path.empty() ? clippings::default_config_path()
                                                                 : flags.config_path);
  if (!loaded) {
    std::cerr << "clippings-server: " << loaded.error().message << "\n";
    return kExitStartup;
  }
  clippings::Config config = std::move(*loaded);
  apply(flags, config);
  if (!find_web_root(config)) return kExitStartup;
  clippings::setup_logging(config.log_level, config.log_format);
  for (const auto& warning : config.warnings) spdlog::warn("{}", warning);
  spdlog::info("effective configuration: {}", clippings::describe(config).dump());

  limit_heaps();
  // Blocked before any thread starts, so every worker inherits the mask and only the signal
  // thread receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  clippings::http::HttpServer server{config};
  std::string error;
  if (!server.bind(error)) {
    spdlog::error("{}", error);
    return kExitStartup;
  }
  warn_if_not_ready(server);
  std::thread signal_thread = start_signal_thread(signals, server);
  spdlog::info("listening on http://{}:{}", config.server.host, server.port());
  const bool clean = server.listen();
  pthread_kill(signal_thread.native_handle(), SIGTERM);  // wakes it if listen() ended by itself
  signal_thread.join();
  spdlog::info("stopped");
  return clean ? EXIT_SUCCESS : EXIT_FAILURE;
}
