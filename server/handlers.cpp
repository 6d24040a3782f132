/// @file handlers.cpp
#include "handlers.h"

#include <nlohmann/json.hpp>

#include "json_views.h"

namespace clippings::http {

// No handler calls searcher.ready() first: every Searcher call (re)opens the database itself
// and fails with not_ready_error(), and a second reopen would read the database's version
// file again, a few hundredths of a millisecond per request.

Reply get_search(Searcher& searcher, const SearchRequest& request) {
  auto response = searcher.search(request);
  if (!response) return error_reply(response.error());
  return Reply{200, kJsonType, search_body(*response), {}};
}

Reply get_article(Searcher& searcher, const std::string& id, const std::string& q) {
  auto view = searcher.article(id, q);
  if (!view) return error_reply(view.error());
  return json_reply(article_json(*view));
}

Reply get_similar(Searcher& searcher, const std::string& id, int size) {
  // The body names the article by its id, whatever form of its URL was asked for.
  auto article_id = searcher.resolve_id(id);
  if (!article_id) return error_reply(article_id.error());
  auto hits = searcher.similar(*article_id, size);
  if (!hits) return error_reply(hits.error());
  return Reply{200, kJsonType, similar_body(*article_id, *hits), {}};
}

Reply get_copies(Searcher& searcher, const std::string& id) {
  auto copies = searcher.copies(id);
  if (!copies) return error_reply(copies.error());
  return json_reply(copies_json(*copies));
}

Reply get_stats(Searcher& searcher) {
  auto stats = searcher.stats();
  if (!stats) return error_reply(stats.error());
  return json_reply(stats_json(*stats));
}

Reply get_health() {
  return json_reply({{"status", "ok"}});
}

Reply get_ready(Searcher& searcher) {
  auto stats = searcher.stats();
  if (!stats) {
    // Whatever stops the index being read, a probe is told "not ready" (503), not 500.
    const Error& error = stats.error();
    return error_reply(error.status == 503 ? error : not_ready_error(error.message));
  }
  nlohmann::ordered_json ready = {{"status", "ready"}, {"articles", stats->articles}};
  if (!stats->shards.empty()) ready["shards"] = shards_json(stats->shards);
  return json_reply(ready);
}

Reply get_metrics(const Metrics& metrics, Searcher& searcher) {
  std::optional<Stats> stats;
  if (auto read = searcher.stats()) stats = std::move(*read);
  return Reply{200, kPrometheusType, metrics.render(stats), {}};
}

Reply get_openapi() {
  return Reply{200, kJsonType, std::string{openapi_document()}, {}};
}

}  // namespace clippings::http
