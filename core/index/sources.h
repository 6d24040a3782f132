/// @file sources.h
/// Turning the SOURCE arguments of the indexer into the list of inputs to read.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "result.h"

namespace clippings {

/// One input: a file found under a SOURCE, or standard input.
struct SourceInput {
  std::filesystem::path path;      ///< as given or as the walk found it; "-" for stdin
  std::filesystem::path root;      ///< the SOURCE directory it was found under (ids, catalogs)
  std::string relative_path;       ///< path relative to `root` (the id of last resort)
  InputFormat format = InputFormat::kUnsupported;
  std::uintmax_t size = 0;         ///< bytes, from the walk; 0 for stdin or unknown
  std::int64_t mtime_ns = 0;       ///< modification time from the walk; 0 for stdin or unknown
  bool is_stdin() const { return path == "-"; }
};

/// The modification time of a stat() result, in nanoseconds since the epoch.
std::int64_t mtime_ns_of(const struct stat& info);

/// What the SOURCE arguments amount to.
struct SourcePlan {
  std::vector<SourceInput> inputs;                  ///< in argument order, each walk sorted
  std::vector<std::filesystem::path> unsupported;   ///< files skipped for their type
  std::vector<std::filesystem::path> roots;         ///< absolute SOURCE paths (for --prune)
  std::uintmax_t total_bytes = 0;                   ///< sum of file sizes (for the ETA)
  bool reads_stdin = false;                         ///< total_bytes is then a lower bound
};

/// The name of the catalog a directory may hold; it describes files and is not an article.
inline constexpr std::string_view kCatalogFileName = "catalog.csv";

/// Walks each SOURCE: a file is taken as is (whatever its type, so that a wrong name is
/// reported); a directory is walked recursively in sorted order, skipping hidden entries and
/// catalog.csv; "-" is standard input. A SOURCE that does not exist is an error.
Result<SourcePlan> plan_sources(const std::vector<std::string>& sources);

}  // namespace clippings
