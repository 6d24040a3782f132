/// @file seeds.h
/// Where the seed articles are: real articles with a catalog.csv kept beside the repository
/// (../shared/seeds), never in it. They are optional; see main.cpp.
#pragma once

#include <cstdlib>
#include <filesystem>

namespace clippings::test {

/// $CLIPPINGS_SEEDS_DIR when set, else the directory configured at build time.
inline std::filesystem::path seeds_dir() {
  const char* env = std::getenv("CLIPPINGS_SEEDS_DIR");
  return env && *env ? std::filesystem::path{env} : std::filesystem::path{CLIPPINGS_SEEDS_DIR};
}

}  // namespace clippings::test
