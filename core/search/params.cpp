/// @file params.cpp
/// Parsing of the search parameters the HTTP layer receives as text.
#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <utf8.h>

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

bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}
constexpr std::pair<SortOrder, std::string_view> kSortNames[] = {{SortOrder::kRelevance, "relevance"},
                                                                  {SortOrder::kNewest, "newest"},
                                                                  {SortOrder::kOldest, "oldest"},
                                                                  {SortOrder::kIndexed, "indexed"}};

}  // namespace

std::optional<Error> check_text(std::string_view value, const std::string& param) {
  if (!utf8::is_valid(value.begin(), value.end())) {
    return bad_request("invalid_parameter", fmt::format("{}: not valid UTF-8", param), param);
  }
  for (const unsigned char c : value) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return bad_request("invalid_parameter",
                         fmt::format("{}: contains the control character U+{:04X}", param, c), param);
    }
  }
  return std::nullopt;
}

std::string strip_bidi_controls(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (auto it = value.begin(); it != value.end();) {
    const auto start = it;
    const char32_t c = utf8::next(it, value.end());
    if (!is_bidi_control(c)) out.append(start, it);
  }
  return out;
}

std::optional<Error> check_query_text(const std::string& q, const ServerSettings& settings,
                                      const std::string& param) {
  if (auto error = check_text(q, param)) return error;
  if (q.size() > settings.max_query_bytes) {
    return bad_request("query_too_long",
                       fmt::format("{}: {} bytes long; the limit is {}", param, q.size(), settings.max_query_bytes),
                       param);
  }
  return std::nullopt;
}

Error out_of_range(const std::string& param, int min, int max, std::string_view text) {
  return bad_request("invalid_parameter",
                     fmt::format("{}: expected a whole number from {} to {}, got {}", param, min, max,
                                 search::quote_value(text)),
                     param);
}

std::optional<Error> check_search_request(const SearchRequest& r, const ServerSettings& settings) {
  if (auto error = check_query_text(r.q, settings)) return error;
  if (auto error = check_query_text(r.facet_query, settings, "facet_query")) return error;
  if (r.page < 1) return out_of_range("page", 1, std::numeric_limits<int>::max(), std::to_string(r.page));
  if ((r.facet_size < kMinFacetSize || r.facet_size > kMaxFacetSize) && r.facet_size != kEveryFacetValue) {
    return out_of_range("facet_size", kMinFacetSize, kMaxFacetSize, std::to_string(r.facet_size));
  }
  for (const auto& [param, date] : {std::pair{"from", &r.from}, std::pair{"to", &r.to}}) {
    if (!date->empty() && (date->size() != 10 || !normalize_date(*date))) {
      return bad_request("invalid_parameter", search::bad_date_message(param, *date), param);
    }
  }
  if (!r.from.empty() && !r.to.empty() && r.from > r.to) {
    return bad_request("invalid_date_range", fmt::format("from ({}) is after to ({})", r.from, r.to), "from");
  }
  for (const auto& outlet : r.outlets) {
    if (auto error = check_text(outlet, "outlet")) return error;
  }
  return std::nullopt;
}

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
