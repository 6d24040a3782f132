/// @file handlers.h
/// The endpoints' logic. Each takes already-validated parameters and returns a Reply, so it can
/// be called without a socket; routes.cpp turns HTTP requests into these calls.
#pragma once

#include <string>
#include <string_view>

#include "metrics.h"
#include "reply.h"
#include "search/searcher.h"

namespace clippings::http {

/// GET /api/search.
Reply get_search(Searcher& searcher, const SearchRequest& request);
/// GET /api/articles/{id}: the article, highlighted for `q` when it is not empty.
Reply get_article(Searcher& searcher, const std::string& id, const std::string& q);
/// GET /api/articles/{id}/similar; `id` may be any form of the article's URL (resolve_id).
Reply get_similar(Searcher& searcher, const std::string& id, int size);
/// GET /api/articles/{id}/copies; `id` may be any form of the article's URL (resolve_id).
Reply get_copies(Searcher& searcher, const std::string& id);
/// GET /api/stats.
Reply get_stats(Searcher& searcher);
/// GET /healthz: the process is up and answering.
Reply get_health();
/// GET /readyz: 200 with the article count once the index opens and holds articles, else 503.
Reply get_ready(Searcher& searcher);
/// GET /metrics.
Reply get_metrics(const Metrics& metrics, Searcher& searcher);
/// GET /api/openapi.json.
Reply get_openapi();

/// The OpenAPI 3.1 document (server/openapi.json, compiled in).
std::string_view openapi_document();

}  // namespace clippings::http
