/// @file fuzz_dates.cpp
/// Dates: ISO dates and times with offsets, date bounds, Unix times, dates found in text.
#include <cstring>

#include "check.h"
#include "ingest/text.h"

using namespace clippings;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  if (auto day = normalize_date(text)) {
    FUZZ_CHECK(day->size() == 10);
    FUZZ_CHECK(normalize_date(*day) == *day);
    FUZZ_CHECK(iso_from_days(days_from_iso(*day)) == *day);
  }
  if (auto range = parse_date_bound(text)) {
    FUZZ_CHECK(normalize_date(range->first) == range->first);
    FUZZ_CHECK(normalize_date(range->last) == range->last);
    FUZZ_CHECK(range->first <= range->last);
  }
  if (size >= sizeof(double)) {
    double seconds = 0;
    std::memcpy(&seconds, data, sizeof seconds);
    if (auto day = day_of_unix_time(seconds)) FUZZ_CHECK(normalize_date(*day) == *day);
  }
  if (auto day = text::iso_date_in(text)) FUZZ_CHECK(normalize_date(*day) == *day);
  text::is_dateline(text);
  return 0;
}
