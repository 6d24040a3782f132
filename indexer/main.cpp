/// @file main.cpp
/// clippings-indexer: command line and configuration in, an indexing run, an exit code out.
/// The summary line goes to stdout (it is the result); logs and progress go to stderr.
/// Exit codes: see kExit* in index/indexer.h.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "config.h"
#include "index/indexer.h"
#include "logging.h"

namespace {

std::atomic<bool> g_stop{false};

// The first SIGINT/SIGTERM asks for a clean stop (commit what is complete); a second one
// falls back to the default action and ends the process at once.
extern "C" void on_signal(int signo) {
  g_stop.store(true);
  std::signal(signo, SIG_DFL);
}

struct Flags {
  std::string config_path = clippings::default_config_path();
  std::optional<std::string> db, lang, log_level;
  std::optional<int> threads, batch_size;
  clippings::IndexOptions options;
  bool quiet = false;
};

void add_flags(CLI::App& app, Flags& flags) {
  app.add_option("SOURCE", flags.options.sources,
                 "Files or directories to index (walked recursively), or - for JSON Lines on stdin")
      ->required();
  app.add_option("--config", flags.config_path, "Configuration file (YAML)");
  app.add_option("--db", flags.db, "Database directory (overrides `database`)");
  app.add_option("--catalog", flags.options.catalog,
                 "catalog.csv for all text and HTML files (default: one found beside them)")
      ->check(CLI::ExistingFile);
  app.add_flag("--prune", flags.options.prune,
               "Delete articles whose source file under the SOURCEs no longer exists");
  app.add_option("--threads", flags.threads, "Indexing threads (0: one per core)")
      ->check(CLI::Range(0, 256));
  app.add_option("--batch-size", flags.batch_size, "Articles per commit")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--lang", flags.lang, "Default language for stemming (ISO 639-1)");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_flag("--quiet", flags.quiet, "Warnings and errors only; no progress line");
  app.set_version_flag("--version", std::string{"clippings-indexer "} + CLIPPINGS_VERSION);
  app.footer(
      "Exit status: 0 all input indexed, 1 some input rejected (each one logged as path:line),\n"
      "2 fatal error (flags, config, SOURCE or database), 130 interrupted (what was complete\n"
      "is committed; running again completes the index without duplicates).\n"
      "The summary line goes to stdout; log messages and the progress line to stderr.");
}

void apply_flags(const Flags& flags, clippings::Config& config) {
  if (flags.db) config.database = *flags.db;
  if (flags.lang) config.language = *flags.lang;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.threads) config.indexer.threads = *flags.threads;
  if (flags.batch_size) config.indexer.batch_size = *flags.batch_size;
  if (flags.quiet && !flags.log_level) config.log_level = "warn";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loads articles (text + catalog, front matter, JSON Lines, HTML) into the index"};
  Flags flags;
  add_flags(app, flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? clippings::kExitOk : clippings::kExitFatal;
  }
  auto config = clippings::load_config(flags.config_path);
  if (!config) {
    std::cerr << "clippings-indexer: " << config.error().message << '\n';
    return clippings::kExitFatal;
  }
  apply_flags(flags, *config);
  clippings::setup_logging(config->log_level, config->log_format);
  spdlog::debug("configuration: {}", clippings::describe(*config).dump());

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  flags.options.progress = !flags.quiet && ::isatty(STDERR_FILENO);
  auto stats = clippings::run_indexer(*config, flags.options, g_stop);
  if (!stats) {
    // Not through the logger: the reason must show even with --log-level off.
    std::cerr << "clippings-indexer: " << stats.error().message << '\n';
    return clippings::kExitFatal;
  }
  std::cout << stats->summary() << std::endl;
  return stats->exit_code();
}
