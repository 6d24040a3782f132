/// @file json_views.cpp
#include "json_views.h"

#include <iterator>

#include <fmt/format.h>

#include "reply.h"

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

/// `{"key":..,"from":..,"to":..,"count":..}` for each bucket, comma-separated.
void append_buckets(fmt::memory_buffer& out, const std::vector<DateBucket>& buckets) {
  const char* separator = "";
  for (const auto& b : buckets) {
    // Keys and days come from date_histogram: ASCII digits, '-' and 'W', nothing to escape.
    fmt::format_to(std::back_inserter(out), R"({}{{"key":"{}","from":"{}","to":"{}","count":{}}})",
                   separator, b.key, b.from, b.to, b.count);
    separator = ",";
  }
}

}  // namespace

std::string search_body(const SearchResponse& r) {
  nlohmann::ordered_json outlets = nlohmann::ordered_json::array();
  for (const auto& o : r.outlet_facet) {
    outlets.push_back({{"value", o.value}, {"count", o.count}, {"selected", o.selected}});
  }
  const nlohmann::ordered_json suggestion =
      r.suggestion ? nlohmann::ordered_json(*r.suggestion) : nlohmann::ordered_json(nullptr);
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out),
                 R"({{"query":{},"total":{},"total_exact":{},"took_ms":{},"page":{},"size":{},)"
                 R"("hits":{},"facets":{{"outlet":{},"date":{{"interval":{},"buckets":[)",
                 dump_json(r.query), r.total, r.total_exact, dump_json(r.took_ms), r.page, r.size,
                 dump_json(hits_json(r.hits)), dump_json(outlets), dump_json(r.date_facet.interval));
  append_buckets(out, r.date_facet.buckets);
  fmt::format_to(std::back_inserter(out), R"(],"undated":{}}}}},"suggestion":{}}})", r.date_facet.undated,
                 dump_json(suggestion));
  return fmt::to_string(out);
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
