/// @file json_views.cpp
#include "json_views.h"

namespace clippings::http {

nlohmann::ordered_json or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

nlohmann::ordered_json hit_json(const Hit& hit) {
  return {
      {"id", hit.id},
      {"title", hit.title},
      {"title_html", hit.title_html},
      {"outlet", hit.outlet},
      {"date", or_null(hit.date)},
      {"url", or_null(hit.url)},
      {"author", or_null(hit.author)},
      {"score", hit.score},
      {"snippet_html", hit.snippet_html},
  };
}

namespace {

nlohmann::ordered_json hits_json(const std::vector<Hit>& hits) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& hit : hits) out.push_back(hit_json(hit));
  return out;
}

nlohmann::ordered_json date_facet_json(const DateFacet& facet) {
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  for (const auto& b : facet.buckets) {
    buckets.push_back({{"key", b.key}, {"from", b.from}, {"to", b.to}, {"count", b.count}});
  }
  return {{"interval", facet.interval}, {"buckets", buckets}, {"undated", facet.undated}};
}

}  // namespace

nlohmann::ordered_json search_json(const SearchResponse& r) {
  nlohmann::ordered_json outlets = nlohmann::ordered_json::array();
  for (const auto& o : r.outlet_facet) {
    outlets.push_back({{"value", o.value}, {"count", o.count}, {"selected", o.selected}});
  }
  return {
      {"query", r.query},
      {"total", r.total},
      {"total_exact", r.total_exact},
      {"took_ms", r.took_ms},
      {"page", r.page},
      {"size", r.size},
      {"hits", hits_json(r.hits)},
      {"facets", {{"outlet", outlets}, {"date", date_facet_json(r.date_facet)}}},
      {"suggestion", r.suggestion ? nlohmann::ordered_json(*r.suggestion) : nlohmann::ordered_json(nullptr)},
  };
}

nlohmann::ordered_json article_json(const ArticleView& view) {
  const Article& a = view.article;
  return {
      {"id", a.id},
      {"title", a.title},
      {"title_html", view.title_html},
      {"outlet", a.outlet},
      {"date", or_null(a.date)},
      {"url", or_null(a.url)},
      {"author", or_null(a.author)},
      {"lang", or_null(a.lang)},
      {"text", a.text},
      {"text_html", view.text_html},
  };
}

nlohmann::ordered_json similar_json(const std::string& id, const std::vector<Hit>& hits) {
  return {{"id", id}, {"hits", hits_json(hits)}};
}

nlohmann::ordered_json stats_json(const Stats& stats) {
  nlohmann::ordered_json outlets = nlohmann::ordered_json::array();
  for (const auto& o : stats.outlets) outlets.push_back({{"value", o.value}, {"count", o.count}});
  return {
      {"articles", stats.articles},
      {"outlets", outlets},
      {"first_date", or_null(stats.first_date)},
      {"last_date", or_null(stats.last_date)},
      {"revision", stats.revision},
  };
}

}  // namespace clippings::http
