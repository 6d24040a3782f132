/// @file jsonl_export.h
/// GET /api/search.jsonl: a search's results as JSON Lines, one article per line.
#pragma once

#include "export_stream.h"

namespace clippings::http {

/// Each line an object with the fields of a search hit (id, title, title_html, outlet, date,
/// url, author, score, snippet_html) and lang, indexed and the whole text; unknown values are
/// null. The lines can be given to clippings-indexer again: it reads these field names.
extern const ExportFormat kJsonLinesExport;

}  // namespace clippings::http
