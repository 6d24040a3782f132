/// @file main.cpp
/// The doctest runner of the seeds tests. Without the seed articles every test reports itself
/// skipped (the exit status ctest knows as SKIP_RETURN_CODE) and says where it looked; listing
/// the tests, as ctest's discovery does, works either way.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>
#include <string_view>

#include "seeds.h"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i) listing = listing || std::string_view{argv[i]}.starts_with("--list");
  const auto seeds = clippings::test::seeds_dir();
  if (!listing && !std::filesystem::is_directory(seeds)) {
    std::cout << "skipped: no seed articles at " << seeds.string()
              << " (they are optional; set CLIPPINGS_SEEDS_DIR to their directory to run these tests)\n";
    return CLIPPINGS_TEST_SKIPPED;
  }
  doctest::Context context{argc, argv};
  return context.run();
}
