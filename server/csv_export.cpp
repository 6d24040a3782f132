/// @file csv_export.cpp
#include "csv_export.h"

#include <fmt/format.h>

#include "atom_feed.h"

namespace clippings::http {
namespace {

void append_row(std::string& out, const StreamedHit& hit) {
  const Article& a = hit.article;
  out += csv_row({csv_text(a.id), csv_text(a.title), csv_text(a.outlet), csv_text(a.date),
                  csv_text(a.url), fmt::format("{:.6g}", hit.score), csv_text(a.author),
                  csv_text(a.lang), csv_text(hit.indexed), csv_text(snippet_text(hit.snippet_html)),
                  csv_text(hit.group), std::to_string(hit.copies)});
}

}  // namespace

const ExportFormat kCsvExport{"csv", "text/csv; charset=utf-8",
                              "id,title,outlet,date,url,score,author,lang,indexed,snippet,group,copies\r\n",
                              append_row};

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

std::string csv_text(std::string_view value) {
  if (value.empty() || std::string_view{"=+-@\t\r"}.find(value.front()) == std::string_view::npos) {
    return std::string{value};
  }
  return "'" + std::string{value};
}

}  // namespace clippings::http
