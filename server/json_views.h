/// @file json_views.h
/// The JSON shapes of the API, in one place: docs/API.md and openapi.json describe these.
#pragma once

#include <nlohmann/json.hpp>

#include "search/searcher.h"

namespace clippings::http {

/// The /api/search body: query, total, total_exact, took_ms, page, size, hits, facets,
/// suggestion, matched, and when they apply dropped, corrected_from and notes.
/// Each hit is {"id","title","title_html","outlet","date","url","author","score","snippet_html"}
/// and "copies" when it has any;
/// unknown date, url and author are null. Written as text rather than built as a json value:
/// a date facet over decades has a thousand buckets, and building them as json objects took
/// longer than the search.
std::string search_body(const SearchResponse& response);
/// The article view: metadata, text, title_html, text_html.
nlohmann::ordered_json article_json(const ArticleView& view);
/// The /api/articles/{id}/similar body: {"id", "hits": [...]}, hits as in search_body.
std::string similar_body(const std::string& id, const std::vector<Hit>& hits);
/// The /api/articles/{id}/copies body: {"id", "group", "count", "first", "items"}, each copy
/// {"id","outlet","date","url","title","shared"}.
nlohmann::ordered_json copies_json(const ArticleCopies& copies);
/// {"articles", "outlets": [{value,count}], "first_date", "last_date", "revision",
/// "max_export_rows"}.
nlohmann::ordered_json stats_json(const Stats& stats);
/// Each shard searched (Stats::shards): its path, articles and revision.
nlohmann::ordered_json shards_json(const std::vector<ShardStats>& shards);

/// "rtl" for a language written right to left (Arabic, Hebrew...), else "ltr": the HTML dir
/// of the article's text.
std::string direction(const std::string& lang);

/// null for "", else the string: the API's way of saying "not known".
nlohmann::ordered_json or_null(const std::string& text);

}  // namespace clippings::http
