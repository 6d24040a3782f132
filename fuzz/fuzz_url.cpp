/// @file fuzz_url.cpp
/// URLs: the id form is a fixed point (normalising twice changes nothing); hosts, outlets
/// and dates in paths do not crash.
#include <map>

#include "check.h"
#include "ingest/ingest.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::map<std::string, std::string> outlets = {
      {"harbour-post.example", "Harbour Post"}, {"valley-wire.example", "Valley Wire"}};
  const std::string_view url = fuzz::as_text(data, size);
  const std::string once = normalize_url(url);
  FUZZ_CHECK(normalize_url(once) == once);
  outlet_from_url(url, outlets);
  if (auto day = find_date("", url); !day.empty()) FUZZ_CHECK(normalize_date(day) == day);
  return 0;
}
