/// @file fuzz_html.cpp
/// Saved HTML pages: gumbo, the depth bound, JSON-LD, metadata and text extraction.
#include "check.h"
#include "ingest/ingest.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Extractor extractor{default_config()};
  const Origin origin{"fuzz.html", "fuzz.html", "/fuzz/fuzz.html", 0};
  auto article = extractor.from_html(std::string{fuzz::as_text(data, size)}, origin, nullptr);
  if (article) fuzz::check_article(*article);
  return 0;
}
