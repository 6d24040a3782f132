/// @file csv_export.h
/// GET /api/search.csv: a search's results as RFC 4180 CSV (id,title,outlet,date,url,score).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reply.h"
#include "search/searcher.h"

namespace clippings::http {

/// One field, quoted when it holds a comma, quote, CR or LF (quotes doubled) or edge spaces.
std::string csv_field(std::string_view value);
/// Fields joined by commas, ended by CRLF.
std::string csv_row(const std::vector<std::string>& fields);

/// Results of `request` from (page - 1) * size, up to `size` rows after a header row; fetched
/// from the searcher in pages of 100. Sent as an attachment named clippings.csv, with the
/// total match count in X-Total-Count.
Reply search_csv(Searcher& searcher, const SearchRequest& request);

}  // namespace clippings::http
