/// @file pipeline.cpp
#include "index/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace clippings {

namespace {

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

BuiltItem ItemBuilder::build(WorkItem item) {
  BuiltItem out;
  out.seq = item.seq;
  out.input_bytes = item.content.size();
  // Read here, not in the builder, so that building a document stays deterministic.
  builder_.set_indexed_time(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const Metadata* row = item.catalog_row ? &*item.catalog_row : nullptr;
  switch (item.kind) {
    case WorkItem::Kind::kRejection:
      reject(out, std::move(item.rejection));
      break;
    case WorkItem::Kind::kLines:
      build_lines(out, item);
      break;
    case WorkItem::Kind::kFile:
      add(out,
          item.format == InputFormat::kHtml
              ? extractor_.from_html(std::move(item.content), item.origin, row)
              : extractor_.from_text(std::move(item.content), item.origin, row),
          item.origin);
      break;
  }
  if (spelling_per_item_) out.spelling = builder_.take_spelling();
  return out;
}

void ItemBuilder::build_lines(BuiltItem& out, const WorkItem& item) {
  Origin origin = item.origin;
  std::string_view rest{item.content};
  out.entries.reserve(static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '\n')) + 1);
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    // Blank lines separate nothing and carry no article: they are not records.
    if (!is_blank(line)) add(out, extractor_.from_json_line(line, origin), origin);
    ++origin.line;
  }
}

void ItemBuilder::add(BuiltItem& out, Result<Article> article, const Origin& origin) {
  if (!article) {
    const Error& error = article.error();
    reject(out, Rejection{origin.file, origin.line, error.code, error.message});
    return;
  }
  if (!place_.holds(article->id)) return;
  for (auto& warning : article->warnings) {
    out.entries.emplace_back(
        Rejection{origin.file, origin.line, "warning", std::move(warning), /*warning=*/true});
  }
  try {
    out.entries.emplace_back(builder_.build(*article, /*count_spelling=*/true));
  } catch (const Xapian::Error& e) {
    out.entries.emplace_back(
        Rejection{origin.file, origin.line, "index_failed", "cannot index: " + e.get_description()});
  }
}

void ItemBuilder::reject(BuiltItem& out, Rejection rejection) const {
  if (place_.holds(rejection.location())) out.entries.emplace_back(std::move(rejection));
}

}  // namespace clippings
