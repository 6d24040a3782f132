/// @file jsonl_export.cpp
#include "jsonl_export.h"

#include <nlohmann/json.hpp>

#include "json_views.h"
#include "reply.h"

namespace clippings::http {
namespace {

void append_row(std::string& out, const StreamedHit& hit) {
  const Article& a = hit.article;
  const nlohmann::ordered_json line = {
      {"id", a.id},
      {"title", a.title},
      {"title_html", hit.title_html},
      {"outlet", a.outlet},
      {"date", or_null(a.date)},
      {"url", or_null(a.url)},
      {"author", or_null(a.author)},
      {"score", hit.score},
      {"snippet_html", hit.snippet_html},
      {"lang", or_null(a.lang)},
      {"indexed", or_null(hit.indexed)},
      {"text", a.text},
  };
  out += dump_json(line);
  out += '\n';
}

}  // namespace

const ExportFormat kJsonLinesExport{"jsonl", "application/x-ndjson; charset=utf-8", "", append_row};

}  // namespace clippings::http
