/// @file fuzz_json_line.cpp
/// One JSON Lines record: the depth bound, nlohmann's parser, the field map, Unix dates.
#include "check.h"
#include "ingest/ingest.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Extractor extractor{default_config()};
  const Origin origin{"fuzz.jsonl", "fuzz.jsonl", "/fuzz/fuzz.jsonl", 1};
  auto article = extractor.from_json_line(fuzz::as_text(data, size), origin);
  if (article) fuzz::check_article(*article);
  return 0;
}
