/// @file csv_export.h
/// GET /api/search.csv: a search's results as RFC 4180 CSV, safe to open in a spreadsheet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "export_stream.h"

namespace clippings::http {

/// One field, quoted when it holds a comma, quote, CR or LF (quotes doubled) or edge spaces.
std::string csv_field(std::string_view value);
/// Fields joined by commas, ended by CRLF.
std::string csv_row(const std::vector<std::string>& fields);
/// A text cell a spreadsheet will not run: one starting with =, +, -, @, tab or CR (a
/// formula, or a way to start one) gets a leading ' (OWASP's advice on CSV injection).
std::string csv_text(std::string_view value);

/// The columns: id, title, outlet, date, url, score, author, lang, indexed, snippet (plain
/// text). Every text cell goes through csv_text.
extern const ExportFormat kCsvExport;

}  // namespace clippings::http
