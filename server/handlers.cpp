/// @file handlers.cpp
#include "handlers.h"

#include <nlohmann/json.hpp>

#include "json_views.h"

namespace clippings::http {

Reply get_search(Searcher& searcher, const SearchRequest& request) {
  // No ready() first: search() reopens the database itself, and a reopen reads the
  // database's version file, a few hundredths of a millisecond per request.
  auto response = searcher.search(request);
  if (!response) return error_reply(response.error());
  return Reply{200, kJsonType, search_body(*response), {}};
}

Reply get_article(Searcher& searcher, const std::string& id, const std::string& q) {
  if (!searcher.ready()) return not_ready_reply(searcher.not_ready_reason());
  auto view = searcher.article(id, q);
  if (!view) return error_reply(view.error());
  return json_reply(article_json(*view));
}

Reply get_similar(Searcher& searcher, const std::string& id, int size) {
  if (!searcher.ready()) return not_ready_reply(searcher.not_ready_reason());
  auto hits = searcher.similar(id, size);
  if (!hits) return error_reply(hits.error());
  return Reply{200, kJsonType, similar_body(id, *hits), {}};
}

Reply get_stats(Searcher& searcher) {
  if (!searcher.ready()) return not_ready_reply(searcher.not_ready_reason());
  auto stats = searcher.stats();
  if (!stats) return error_reply(stats.error());
  return json_reply(stats_json(*stats));
}

Reply get_health() {
  return json_reply({{"status", "ok"}});
}

Reply get_ready(Searcher& searcher) {
  if (!searcher.ready()) return not_ready_reply(searcher.not_ready_reason());
  auto stats = searcher.stats();
  if (!stats) return not_ready_reply(stats.error().message);
  return json_reply({{"status", "ready"}, {"articles", stats->articles}});
}

Reply get_metrics(const Metrics& metrics, Searcher& searcher) {
  std::optional<Xapian::doccount> articles;
  if (searcher.ready()) {
    if (auto stats = searcher.stats()) articles = stats->articles;
  }
  return Reply{200, kPrometheusType, metrics.render(articles), {}};
}

Reply get_openapi() {
  return Reply{200, kJsonType, std::string{openapi_document()}, {}};
}

}  // namespace clippings::http
