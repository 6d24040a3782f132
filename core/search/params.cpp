/// @file params.cpp
/// Parsing of the search parameters the HTTP layer receives as text.
#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "dates.h"
#include "search/query_builder.h"
#include "search/searcher.h"
#include "text/languages.h"

namespace clippings {
namespace {

// An empty value is what an HTML form sends for a field left alone: it means the default.

Error invalid(const std::string& param, std::string_view expected, const std::string& text) {
  return bad_request("invalid_parameter",
                     fmt::format("{}: expected {}, got {}", param, expected, search::quote_value(text)),
                     param);
}

constexpr std::pair<SortOrder, std::string_view> kSortNames[] = {{SortOrder::kRelevance, "relevance"},
                                                                  {SortOrder::kNewest, "newest"},
                                                                  {SortOrder::kOldest, "oldest"},
                                                                  {SortOrder::kIndexed, "indexed"}};

}  // namespace

Result<SortOrder> parse_sort(const std::string& text, const std::string& param) {
  if (text.empty()) return SortOrder::kRelevance;
  for (const auto& [sort, name] : kSortNames) {
    if (text == name) return sort;
  }
  return invalid(param, "relevance, newest, oldest or indexed", text);
}

std::string_view sort_name(SortOrder sort) {
  for (const auto& [order, name] : kSortNames) {
    if (order == sort) return name;
  }
  return "relevance";
}

Result<Interval> parse_interval(const std::string& text, const std::string& param) {
  if (text.empty() || text == "auto") return Interval::kAuto;
  if (text == "day") return Interval::kDay;
  if (text == "week") return Interval::kWeek;
  if (text == "month") return Interval::kMonth;
  if (text == "year") return Interval::kYear;
  return invalid(param, "auto, day, week, month or year", text);
}

Result<std::string> parse_date_param(const std::string& text, bool as_end, const std::string& param) {
  if (text.empty()) return std::string{};
  auto days = parse_date_bound(text);
  if (!days) return bad_request("invalid_parameter", search::bad_date_message(param, text), param);
  return as_end ? days->last : days->first;
}

Result<std::vector<std::string>> parse_lang_params(const std::vector<std::string>& values,
                                                   const std::string& param) {
  std::vector<std::string> codes;
  for (const auto& value : values) {
    if (value.empty()) continue;
    std::string code = text::language_code(value);
    if (code.empty()) return invalid(param, "a language code such as en or ru", value);
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(std::move(code));
  }
  return codes;
}

}  // namespace clippings
