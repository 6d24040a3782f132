/// @file fuzz_catalog.cpp
/// catalog.csv: libcsv, recovery after a bad row, the row checks.
#include "check.h"
#include "ingest/ingest.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view csv = fuzz::as_text(data, size);
  auto catalog = Catalog::parse(csv, "fuzz.csv", "/fuzz");
  if (!catalog) {
    FUZZ_CHECK(catalog.error().message.starts_with("fuzz.csv:"));
    return 0;
  }
  // Problems are in line order, on lines the text has.
  const std::size_t lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) + 2;
  std::size_t previous = 0;
  for (const auto& problem : catalog->problems()) {
    FUZZ_CHECK(problem.line >= 1 && problem.line <= lines);
    FUZZ_CHECK(problem.line >= previous);
    FUZZ_CHECK(!problem.message.empty());
    previous = problem.line;
  }
  return 0;
}
