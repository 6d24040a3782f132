/// @file params.h
/// Query-string parameters to validated requests. Every failure is a 400 naming the parameter.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "config.h"
#include "result.h"
#include "search/searcher.h"

namespace clippings::http {

/// Decoded query parameters, repeated names kept in order (the HTTP library's own type).
using Params = std::multimap<std::string, std::string>;

/// Which endpoint the search parameters are for: they differ in page-size limits only.
enum class SearchFormat { kJson, kAtom };

/// Page-size bounds per format.
struct SizeLimits {
  int default_size;
  int max_size;
};
SizeLimits size_limits(SearchFormat format);

/// The deepest result a search may reach (page * size): deep offsets cost the index dearly and
/// nobody reads them; narrower queries or the exports serve that need.
inline constexpr int kMaxResultWindow = 100000;

/// Default and largest `size` of /api/articles/{id}/similar.
inline constexpr int kSimilarDefaultSize = 5;
inline constexpr int kSimilarMaxSize = 50;

/// q, outlet (repeatable), lang (repeatable), from, to, sort, page, size, interval, facet_size
/// (1-1000 or "all"), facet_query. Unknown names, repeated single-valued names, values that are
/// not valid UTF-8 and out-of-range values are rejected; from > to is rejected naming `from`.
Result<SearchRequest> parse_search_params(const Params& params, const ServerSettings& settings,
                                          SearchFormat format);

/// A CSV or JSON Lines export: the search, and which of its matches.
struct ExportRequest {
  SearchRequest search;          ///< its page and size are not used
  Xapian::doccount offset = 0;   ///< the first match exported, from 0
  Xapian::doccount limit = 0;    ///< rows at most: `size`, else server.max_export_rows
  bool whole = true;             ///< no page or size given: every match, up to the limit
};

/// The parameters of parse_search_params; without `page` and `size`, the whole result (at
/// most server.max_export_rows rows), else that page of it: `size` 1 to max_export_rows,
/// page * size at most max_export_rows, and `page` only with `size`.
Result<ExportRequest> parse_export_params(const Params& params, const ServerSettings& settings);

/// The optional highlighting query `q` of an article view.
Result<std::string> parse_article_params(const Params& params, const ServerSettings& settings);

/// The `size` of a similar-articles request.
Result<int> parse_similar_params(const Params& params);

/// A strict base-10 integer in [min, max], else a 400 naming `param`.
Result<int> parse_int_param(const std::string& text, int min, int max, const std::string& param);

/// %XX-decodes a URL path segment (no '+' to space). Malformed escapes and decoded text that
/// is not UTF-8 are a 400 naming `param`.
Result<std::string> percent_decode(std::string_view text, const std::string& param);

/// %XX-encodes everything but unreserved characters (RFC 3986), for building URLs.
std::string percent_encode(std::string_view text);

}  // namespace clippings::http
