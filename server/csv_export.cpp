/// @file csv_export.cpp
#include "csv_export.h"

#include <fmt/format.h>

namespace clippings::http {
namespace {

/// Rows fetched per searcher call: the searcher's own page-size limit.
constexpr int kChunk = 100;

std::string hit_row(const Hit& hit) {
  return csv_row({hit.id, hit.title, hit.outlet, hit.date, hit.url, fmt::format("{:.6g}", hit.score)});
}

}  // namespace

std::string csv_field(std::string_view value) {
  const bool needs_quotes = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                            (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs_quotes) return std::string{value};
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += "\r\n";
  return out;
}

Reply search_csv(Searcher& searcher, const SearchRequest& request) {
  const long long offset = static_cast<long long>(request.page - 1) * request.size;
  std::string body = csv_row({"id", "title", "outlet", "date", "url", "score"});
  SearchRequest chunk = request;
  chunk.size = kChunk;
  chunk.facets = false;
  chunk.snippets = false;
  long long skip = offset % kChunk;
  int wanted = request.size;
  Xapian::doccount total = 0;
  // Bounded: one call per chunk of the requested window, plus one for a partial first chunk.
  for (int call = 0, calls = request.size / kChunk + 2; call < calls && wanted > 0; ++call) {
    chunk.page = static_cast<int>(offset / kChunk) + call + 1;
    auto response = searcher.search(chunk);
    if (!response) return error_reply(response.error());
    total = response->total;
    for (const auto& hit : response->hits) {
      if (skip > 0) {
        --skip;
        continue;
      }
      if (wanted == 0) break;
      body += hit_row(hit);
      --wanted;
    }
    if (static_cast<int>(response->hits.size()) < kChunk) break;
  }
  return Reply{200, "text/csv; charset=utf-8", std::move(body),
               {{"Content-Disposition", "attachment; filename=\"clippings.csv\""},
                {"X-Total-Count", std::to_string(total)}}};
}

}  // namespace clippings::http
