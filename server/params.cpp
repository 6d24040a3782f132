/// @file params.cpp
#include "params.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <utf8.h>

namespace clippings::http {
namespace {

/// The facet_size that lists every outlet.
constexpr std::string_view kEveryOutlet = "all";

Error invalid(const std::string& param, const std::string& message) {
  return bad_request("invalid_parameter", message, param);
}

/// Rejects names outside `allowed`, repeats of single-valued names and non-UTF-8 text.
std::optional<Error> check_names(const Params& params, const std::set<std::string>& allowed,
                                 const std::set<std::string>& repeatable) {
  for (const auto& [name, value] : params) {
    if (!utf8::is_valid(name.begin(), name.end())) {
      return bad_request("unknown_parameter", "a parameter name is not valid UTF-8");
    }
    if (!allowed.count(name)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return bad_request("unknown_parameter",
                         fmt::format("unknown parameter '{}'; this endpoint takes: {}", name, list),
                         name);
    }
    if (!repeatable.count(name) && params.count(name) > 1) {
      return invalid(name, fmt::format("'{}' may be given only once", name));
    }
    if (auto error = check_text(value, name)) return error;
  }
  return std::nullopt;
}

/// The single value of `name`, or "" when absent.
std::string value_of(const Params& params, const std::string& name) {
  const auto it = params.find(name);
  return it == params.end() ? std::string{} : it->second;
}

/// Fills an int field from an optional parameter.
std::optional<Error> read_int(const Params& params, const std::string& name, int min, int max,
                              int& out) {
  const std::string text = value_of(params, name);
  if (text.empty()) return std::nullopt;
  auto parsed = parse_int_param(text, min, max, name);
  if (!parsed) return parsed.error();
  out = *parsed;
  return std::nullopt;
}

std::optional<Error> read_dates(const Params& params, SearchRequest& request) {
  for (const bool as_end : {false, true}) {
    const std::string name = as_end ? "to" : "from";
    const std::string text = value_of(params, name);
    if (text.empty()) continue;
    auto parsed = parse_date_param(text, as_end, name);
    if (!parsed) return parsed.error();
    (as_end ? request.to : request.from) = *parsed;
  }
  return std::nullopt;
}

std::optional<Error> read_choices(const Params& params, SearchRequest& request) {
  if (const auto text = value_of(params, "sort"); !text.empty()) {
    auto sort = parse_sort(text, "sort");
    if (!sort) return sort.error();
    request.sort = *sort;
  }
  if (const auto text = value_of(params, "interval"); !text.empty()) {
    auto interval = parse_interval(text, "interval");
    if (!interval) return interval.error();
    request.interval = *interval;
  }
  return std::nullopt;
}

/// Sets `value` from the parameter `name` when given: "true" or "false".
std::optional<Error> read_bool(const Params& params, const std::string& name, bool& value) {
  const auto text = value_of(params, name);
  if (text.empty()) return std::nullopt;
  if (text != "true" && text != "false") {
    return invalid(name, fmt::format("{} must be true or false, got '{}'", name, text.substr(0, 40)));
  }
  value = text == "true";
  return std::nullopt;
}

/// `facets`: comma-separated facet names. The outlet, language and date facets are always
/// there; "timeline" asks for the coverage timeline too.
std::optional<Error> read_facets(const Params& params, SearchRequest& request) {
  const std::string names = value_of(params, "facets");
  std::string_view rest = names;
  while (!rest.empty()) {
    const std::size_t comma = std::min(rest.find(','), rest.size());
    const std::string_view name = rest.substr(0, comma);
    rest.remove_prefix(std::min(comma + 1, rest.size()));
    if (name == "timeline") {
      request.timeline = true;
    } else if (name != "outlet" && name != "lang" && name != "date") {
      return invalid("facets", fmt::format("facets: expected outlet, lang, date or timeline, got '{}'",
                                           std::string{name.substr(0, 40)}));
    }
  }
  return std::nullopt;
}

/// What every search endpoint takes but page and size: q, outlet, lang, from, to, sort,
/// interval, facet_size, facet_query (and rejects any other name).
Result<SearchRequest> parse_filters(const Params& params, const ServerSettings& settings) {
  static const std::set<std::string> kAllowed = {"q",    "outlet",   "lang",       "from",        "to",     "sort",
                                                 "page", "size",     "interval",   "facet_size",  "facet_query",
                                                 "correct", "collapse", "facets"};
  if (auto error = check_names(params, kAllowed, {"outlet", "lang"})) return *error;
  SearchRequest request;
  request.q = strip_bidi_controls(value_of(params, "q"));
  request.facet_query = strip_bidi_controls(value_of(params, "facet_query"));
  for (auto [it, end] = params.equal_range("outlet"); it != end; ++it) {
    if (!it->second.empty()) request.outlets.push_back(strip_bidi_controls(it->second));
  }
  std::vector<std::string> langs;
  for (auto [it, end] = params.equal_range("lang"); it != end; ++it) langs.push_back(it->second);
  auto codes = parse_lang_params(langs, "lang");
  if (!codes) return codes.error();
  request.langs = std::move(*codes);
  if (auto error = read_dates(params, request)) return *error;
  if (auto error = read_choices(params, request)) return *error;
  if (auto error = read_bool(params, "correct", request.correct)) return *error;
  if (auto error = read_bool(params, "collapse", request.collapse)) return *error;
  if (auto error = read_facets(params, request)) return *error;
  request.facet_size = settings.facet_size;
  if (value_of(params, "facet_size") == kEveryOutlet) {
    request.facet_size = kEveryFacetValue;
  } else if (auto e = read_int(params, "facet_size", kMinFacetSize, kMaxFacetSize, request.facet_size)) {
    return *e;
  }
  if (auto error = check_search_request(request, settings)) return *error;
  return request;
}

}  // namespace

SizeLimits size_limits(SearchFormat format) {
  return format == SearchFormat::kAtom ? SizeLimits{20, 100} : SizeLimits{10, kMaxPageSize};
}

Result<int> parse_int_param(const std::string& text, int min, int max, const std::string& param) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool digits_only = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits_only || ec != std::errc{} || end != text.data() + text.size() || value < min ||
      value > max) {
    return out_of_range(param, min, max, text);
  }
  return value;
}

Result<SearchRequest> parse_search_params(const Params& params, const ServerSettings& settings,
                                          SearchFormat format) {
  auto request = parse_filters(params, settings);
  if (!request) return request;
  const SizeLimits limits = size_limits(format);
  request->size = limits.default_size;
  if (auto e = read_int(params, "size", 1, limits.max_size, request->size)) return *e;
  if (auto e = read_int(params, "page", 1, kMaxResultWindow, request->page)) return *e;
  if (static_cast<long long>(request->page) * request->size > kMaxResultWindow) {
    return invalid("page", fmt::format("page * size may not exceed {}; narrow the search instead",
                                       kMaxResultWindow));
  }
  request->facets = format == SearchFormat::kJson;
  return request;
}

Result<ExportRequest> parse_export_params(const Params& params, const ServerSettings& settings) {
  auto search = parse_filters(params, settings);
  if (!search) return search.error();
  ExportRequest request;
  request.search = std::move(*search);
  request.search.facets = false;
  const int most = settings.max_export_rows;
  int page = 0, size = 0;
  if (auto e = read_int(params, "size", 1, most, size)) return *e;
  if (auto e = read_int(params, "page", 1, most, page)) return *e;
  if (size == 0) {
    if (page > 0) {
      return invalid("page", "page needs size: an export without them has the whole result");
    }
    request.limit = static_cast<Xapian::doccount>(most);
    return request;
  }
  page = std::max(page, 1);
  if (static_cast<long long>(page) * size > most) {
    return invalid("page", fmt::format("page * size may not exceed {} (server.max_export_rows)", most));
  }
  request.offset = static_cast<Xapian::doccount>(page - 1) * static_cast<Xapian::doccount>(size);
  request.limit = static_cast<Xapian::doccount>(size);
  request.whole = false;
  return request;
}

Result<std::string> parse_article_params(const Params& params, const ServerSettings& settings) {
  if (auto error = check_names(params, {"q"}, {})) return *error;
  std::string q = strip_bidi_controls(value_of(params, "q"));
  if (auto error = check_query_text(q, settings)) return *error;
  return q;
}

Result<int> parse_similar_params(const Params& params) {
  if (auto error = check_names(params, {"size"}, {})) return *error;
  int size = kSimilarDefaultSize;
  if (auto error = read_int(params, "size", 1, kSimilarMaxSize, size)) return *error;
  return size;
}

Result<std::string> percent_decode(std::string_view text, const std::string& param) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    const char* first = text.data() + i + 1;
    const auto [end, ec] = i + 2 < text.size() ? std::from_chars(first, first + 2, value, 16)
                                               : std::from_chars_result{first, std::errc::invalid_argument};
    if (ec != std::errc{} || end != first + 2) {
      return invalid(param, fmt::format("{} has a malformed %-escape", param));
    }
    out += static_cast<char>(value);
    i += 2;
  }
  if (auto error = check_text(out, param)) return *error;
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace clippings::http
