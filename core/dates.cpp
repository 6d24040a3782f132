/// @file dates.cpp
#include "dates.h"

#include <charconv>
#include <chrono>

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
  const char* first = text.data() + pos;
  auto [end, error] = std::from_chars(first, first + width, value);
  if (error != std::errc{} || end != first + width) return std::nullopt;
  return value;
}

std::optional<year_month_day> valid_day(int y, int m, int d) {
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1000 || y > 9999) return std::nullopt;
  return ymd;
}

std::string format_day(const year_month_day& ymd) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace

std::optional<std::string> normalize_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  // After the day only a time part may follow: "T10:20", " 10:20:00Z", ...
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  auto y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  auto ymd = valid_day(*y, *m, *d);
  if (!ymd) return std::nullopt;
  return format_day(*ymd);
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
