/// @file dates.h
/// Calendar dates as the API and the index use them: "YYYY-MM-DD" strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clippings {

/// A full ISO date or date-time ("2022-11-25", "2022-11-25T10:20", "2022-11-25 10:20:00Z",
/// "2022-11-25T23:30:00.5-05:00") reduced to its day, "2022-11-25". nullopt when it is not a
/// real calendar day of the years 1000-9999, or when what follows the day is not a valid time
/// (hours 0-23, or 24:00 which is the next day's start; seconds up to 60) with an optional
/// offset (Z, UTC, GMT, +hh, +hhmm or +hh:mm up to 23:59) and bracketed zone name.
///
/// An offset is applied: the day is the UTC day of that moment, so "2022-11-25T23:30:00-05:00"
/// is 2022-11-26, the same day as "2022-11-26T04:30:00Z" and as a Unix time stamp of that
/// moment (day_of_unix_time). One moment is one day however an outlet wrote it, and articles
/// from outlets in different zones order and group by the same clock. A time without an offset
/// is taken as written: its zone is unknown.
std::optional<std::string> normalize_date(std::string_view text);

/// The UTC day of a Unix time in seconds (a time stamp has no clock of its own to keep):
/// nullopt when it is not finite or falls outside the years 1000-9999.
std::optional<std::string> day_of_unix_time(double seconds);

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
