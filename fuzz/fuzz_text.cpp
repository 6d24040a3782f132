/// @file fuzz_text.cpp
/// Text and Markdown files: YAML front matter, then the text heuristics and boilerplate rules.
#include "check.h"
#include "ingest/ingest.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Extractor extractor{default_config()};
  const Origin origin{"fuzz.md", "fuzz.md", "/fuzz/fuzz.md", 0};
  auto article = extractor.from_text(std::string{fuzz::as_text(data, size)}, origin, nullptr);
  if (article) fuzz::check_article(*article);
  return 0;
}
