/// @file dates.h
/// Calendar dates as the API and the index use them: "YYYY-MM-DD" strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clippings {

/// A full ISO date or date-time ("2022-11-25", "2022-11-25T10:20", "2022-11-25 10:20:00Z")
/// reduced to its day, "2022-11-25". nullopt when it is not a real calendar day.
std::optional<std::string> normalize_date(std::string_view text);

/// An inclusive range of days.
struct DayRange {
  std::string first;  ///< "YYYY-MM-DD"
  std::string last;   ///< "YYYY-MM-DD"
};

/// A year, month or day ("2022", "2022-11", "2022-11-25") as the days it covers.
std::optional<DayRange> parse_date_bound(std::string_view text);

/// Days since 1970-01-01 for a valid "YYYY-MM-DD" (normalize_date's output).
int days_from_iso(std::string_view iso);
/// Inverse of days_from_iso.
std::string iso_from_days(int days);

}  // namespace clippings
