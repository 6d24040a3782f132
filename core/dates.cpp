/// @file dates.cpp
#include "dates.h"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

namespace clippings {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

/// Reads exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (const char c : text.substr(pos, width)) {
    if (c < '0' || c > '9') return std::nullopt;  // from_chars would take a '-' sign
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<year_month_day> valid_day(int y, int m, int d) {
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1000 || y > 9999) return std::nullopt;
  return ymd;
}

/// Minutes in a day.
constexpr int kDayMinutes = 24 * 60;

/// Reads the offset from UTC at the start of `rest` (Z, UTC, GMT, or a sign and hh, hhmm or
/// hh:mm up to 23:59), in minutes east of UTC, and removes it; 0 when there is none.
std::optional<int> read_offset(std::string_view& rest) {
  if (rest.starts_with("Z") || rest.starts_with("z")) {
    rest.remove_prefix(1);
  } else if (rest.starts_with("UTC") || rest.starts_with("GMT")) {
    rest.remove_prefix(3);
  }
  if (rest.empty() || (rest.front() != '+' && rest.front() != '-')) return 0;
  auto oh = digits(rest, 1, 2);
  if (!oh || *oh > 23) return std::nullopt;
  int om = 0;
  std::size_t end = 3;
  const bool colon = rest.size() > 3 && rest[3] == ':';
  if (colon || (rest.size() > 3 && rest[3] >= '0' && rest[3] <= '9')) {
    auto minutes = digits(rest, colon ? 4 : 3, 2);
    if (!minutes || *minutes > 59) return std::nullopt;
    om = *minutes;
    end = colon ? 6 : 5;
  }
  const int sign = rest.front() == '-' ? -1 : 1;
  rest.remove_prefix(end);
  return sign * (*oh * 60 + om);
}

/// Reads `rest`, what follows a day: empty, or a valid time with an optional offset and zone
/// name. Returns the days to add to reach the UTC day (-1, 0 or 1; 24:00 is the next day's
/// start), or nullopt when `rest` is not a valid time.
std::optional<int> utc_day_shift(std::string_view rest) {
  if (rest.empty()) return 0;
  if (rest.front() != 'T' && rest.front() != 't' && rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(1);
  // hh:mm, then :ss and a fraction.
  auto h = digits(rest, 0, 2), m = rest.size() > 2 && rest[2] == ':' ? digits(rest, 3, 2) : std::nullopt;
  if (!h || !m || *m > 59) return std::nullopt;
  std::size_t pos = 5;
  int s = 0;
  if (pos < rest.size() && rest[pos] == ':') {
    auto sec = digits(rest, pos + 1, 2);
    if (!sec || *sec > 60) return std::nullopt;
    s = *sec;
    pos += 3;
    if (pos < rest.size() && (rest[pos] == '.' || rest[pos] == ',')) {
      const std::size_t first = ++pos;
      while (pos < rest.size() && rest[pos] >= '0' && rest[pos] <= '9') ++pos;
      if (pos == first) return std::nullopt;
    }
  }
  if (*h > 24 || (*h == 24 && (*m != 0 || s != 0))) return std::nullopt;
  rest.remove_prefix(pos);
  if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const auto offset = read_offset(rest);
  if (!offset) return std::nullopt;
  // An RFC 9557 zone name: "[Europe/Paris]". The offset before it is what counts.
  if (!rest.empty() && rest.front() == '[' && rest.back() == ']' &&
      rest.find(']') == rest.size() - 1) {
    rest = {};
  }
  if (!rest.empty()) return std::nullopt;
  const int utc_minutes = *h * 60 + *m - *offset;
  return utc_minutes < 0 ? -1 : utc_minutes / kDayMinutes;
}

std::string format_day(const year_month_day& ymd) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace

std::optional<std::string> normalize_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  auto ymd = valid_day(*y, *m, *d);
  if (!ymd) return std::nullopt;
  const auto shift = utc_day_shift(text.substr(10));
  if (!shift) return std::nullopt;
  if (*shift != 0) {
    ymd = year_month_day{sys_days{*ymd} + std::chrono::days{*shift}};
    if (!valid_day(static_cast<int>(ymd->year()), 1, 1)) return std::nullopt;
  }
  return format_day(*ymd);
}

std::optional<std::string> day_of_unix_time(double seconds) {
  // The bounds of the years 1000-9999, in seconds: outside them (or not a number) the
  // conversion to a day count would overflow or name a year the index cannot hold.
  constexpr double kFirst = -30610224000.0;  // 1000-01-01T00:00:00Z
  constexpr double kEnd = 253402300800.0;    // 10000-01-01T00:00:00Z
  if (!std::isfinite(seconds) || seconds < kFirst || seconds >= kEnd) return std::nullopt;
  return iso_from_days(static_cast<int>(std::floor(seconds / 86400.0)));
}

std::optional<DayRange> parse_date_bound(std::string_view text) {
  if (text.size() == 4) {
    auto y = digits(text, 0, 4);
    if (!y || !valid_day(*y, 1, 1)) return std::nullopt;
    return DayRange{fmt::format("{:04}-01-01", *y), fmt::format("{:04}-12-31", *y)};
  }
  if (text.size() == 7 && text[4] == '-') {
    auto y = digits(text, 0, 4), m = digits(text, 5, 2);
    if (!y || !m || !valid_day(*y, *m, 1)) return std::nullopt;
    const auto last = std::chrono::year_month_day_last{
        year{*y} / month{static_cast<unsigned>(*m)} / std::chrono::last};
    return DayRange{fmt::format("{:04}-{:02}-01", *y, *m), format_day(year_month_day{last})};
  }
  if (text.size() != 10) return std::nullopt;
  auto iso = normalize_date(text);
  if (!iso) return std::nullopt;
  return DayRange{*iso, *iso};
}

int days_from_iso(std::string_view iso) {
  const int y = digits(iso, 0, 4).value_or(1970);
  const int m = digits(iso, 5, 2).value_or(1);
  const int d = digits(iso, 8, 2).value_or(1);
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  return static_cast<int>(sys_days{ymd}.time_since_epoch().count());
}

std::string iso_from_days(int days) {
  return format_day(year_month_day{sys_days{std::chrono::days{days}}});
}

}  // namespace clippings
