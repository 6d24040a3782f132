/// @file main.cpp
/// clippings-indexer: command line and configuration in, an indexing run, an exit code out.
/// The summary line goes to stdout (it is the result); logs and progress go to stderr. With
/// log_format json, the summary and fatal errors are JSON lines too.
/// Exit codes: see kExit* in index/indexer.h.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "config.h"
#include "index/indexer.h"
#include "index/spellings.h"
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
  std::vector<std::string> shards;  ///< --shard
  std::optional<int> threads, batch_size;
  clippings::IndexOptions options;
  bool quiet = false;
  bool print_config = false;
  std::vector<std::string> spelling_from;  ///< --spelling-from: make --db a spelling dictionary
};

/// Says why the run cannot proceed, on stderr and not through the logger (the reason must
/// show even with --log-level off); as a JSON line when the log is JSON.
int fatal(const std::string& message, bool json) {
  if (json) {
    std::cerr << clippings::json_log_line("error", message, nlohmann::json::object()) << '\n';
  } else {
    std::cerr << "clippings-indexer: " << message << '\n';
  }
  return clippings::kExitFatal;
}

void add_flags(CLI::App& app, Flags& flags) {
  app.add_option("SOURCE", flags.options.sources,
                 "Files or directories to index (walked recursively), or - for JSON Lines on stdin");
  app.add_option("--config", flags.config_path, "Configuration file (YAML)");
  app.add_option("--db", flags.db,
                 "Database directory, or HOST:PORT of an xapian-tcpsrv --writable (overrides `database` and "
                 "`shards`)");
  app.add_option("--shard", flags.shards,
                 "A shard of the index, a directory or HOST:PORT (repeat it, in the same order each run): each "
                 "article is written to the one a hash of its id picks (overrides `shards`)")
      ->option_text("DIR")
      ->allow_extra_args(false)  // one DIR each: what follows is a SOURCE
      ->excludes("--db");
  app.add_option("--catalog", flags.options.catalog,
                 "catalog.csv for all text and HTML files (default: one found beside them)")
      ->check(CLI::ExistingFile);
  app.add_flag("--prune", flags.options.prune,
               "Delete articles whose source file under the SOURCEs no longer exists");
  app.add_flag("--force", flags.options.force,
               "Read every file, also those unchanged since they were indexed");
  app.add_option("--threads", flags.threads, "Indexing threads (0: one per core)")
      ->check(CLI::Range(0, 256));
  app.add_option("--batch-size", flags.batch_size, "Articles per commit")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--lang", flags.lang, "Default language for stemming (ISO 639-1)");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_flag("--quiet", flags.quiet,
               "No progress and no warning per rejected input (unless --log-level is given): "
               "rejections are summed up by reason at the end");
  app.add_option("--rejects", flags.options.rejects_path,
                 "Write every rejected input to FILE, one per line: path, line, code and reason "
                 "separated by tabs, after a header line")
      ->option_text("FILE");
  app.add_option("--spelling-from", flags.spelling_from,
                 "Instead of indexing, make --db the spelling dictionary of these databases (repeat it), "
                 "for a server over remote shards (its `spelling` setting); run again to update it")
      ->option_text("DIR")
      ->check(CLI::ExistingDirectory);
  app.add_flag("--print-config", flags.print_config,
               "Print the effective configuration (defaults, file, CLIPPINGS_* variables, flags) "
               "as JSON and exit");
  app.set_version_flag("--version", std::string{"clippings-indexer "} + CLIPPINGS_VERSION);
  app.footer(
      "Files unchanged since they were indexed (same size and time, or same bytes) are skipped\n"
      "and counted as unchanged.\n"
      "Exit status: 0 all input indexed, 1 some input rejected (each one logged as path:line),\n"
      "2 fatal error (flags, config, SOURCE or database), 130 interrupted (what was complete\n"
      "is committed; running again completes the index without duplicates).\n"
      "The summary line goes to stdout; log messages and progress to stderr (a line redrawn on\n"
      "a terminal, else a log line every few seconds).");
}

void apply_flags(const Flags& flags, clippings::Config& config) {
  if (flags.db) {
    config.database = *flags.db;
    config.shards.clear();  // the flag names what to write
  }
  if (!flags.shards.empty()) config.shards = flags.shards;
  if (flags.lang) config.language = *flags.lang;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.threads) config.indexer.threads = *flags.threads;
  if (flags.batch_size) config.indexer.batch_size = *flags.batch_size;
  if (flags.quiet && !flags.log_level) config.log_level = "warn";
}

/// --spelling-from: the dictionary of those databases written to the database.
int make_spelling(const Flags& flags, const clippings::Config& config, bool json) {
  if (!flags.options.sources.empty()) return fatal("--spelling-from indexes nothing: give no SOURCE", json);
  auto sync = clippings::sync_spellings(flags.spelling_from, config.database);
  if (!sync) return fatal(sync.error().message, json);
  const std::string summary = fmt::format("spelling dictionary {}: {} words, {} changed", config.database,
                                          sync->words, sync->changed);
  if (json) {
    std::cout << clippings::json_log_line("info", summary, {{"words", sync->words}, {"changed", sync->changed}})
              << std::endl;
  } else {
    std::cout << summary << std::endl;
  }
  return clippings::kExitOk;
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
    // The file or a variable is wrong, but the format the log is expected in may be known.
    const char* format = std::getenv("CLIPPINGS_LOG_FORMAT");
    return fatal(config.error().message, format && std::string_view{format} == "json");
  }
  apply_flags(flags, *config);
  const bool json = config->log_format == "json";
  if (flags.print_config) {
    std::cout << clippings::describe(*config).dump() << std::endl;
    return clippings::kExitOk;
  }
  if (!flags.spelling_from.empty()) return make_spelling(flags, *config, json);
  if (flags.options.sources.empty()) {
    return fatal("SOURCE is required: files or directories to index, or - for stdin "
                 "(see --help)", json);
  }
  clippings::setup_logging(config->log_level, config->log_format);
  for (const auto& warning : config->warnings) spdlog::warn("{}", warning);
  spdlog::debug("configuration: {}", clippings::describe(*config).dump());

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  flags.options.progress = flags.quiet                 ? clippings::ProgressMode::kNone
                           : ::isatty(STDERR_FILENO)  ? clippings::ProgressMode::kTerminal
                                                      : clippings::ProgressMode::kLog;
  // --quiet keeps warnings, but not one per rejected input, unless a level is asked for.
  flags.options.log_each_rejection = !flags.quiet || flags.log_level.has_value();
  auto stats = clippings::run_indexer(*config, flags.options, g_stop);
  if (!stats) return fatal(stats.error().message, json);
  if (json) {
    std::cout << clippings::json_log_line("info", stats->summary(), stats->counts()) << std::endl;
  } else {
    std::cout << stats->summary() << std::endl;
  }
  return stats->exit_code();
}
