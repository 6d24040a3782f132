/// @file hits.cpp
/// A page's hits made from their documents: read from every remote shard at once,
/// highlighted, each with its group of copies.
#include "article.h"
#include "schema.h"
#include "search/copies.h"
#include "search/searcher_state.h"
#include "search/shards.h"

namespace clippings {

bool Searcher::State::has_copies() {
  std::string key = revision_key();
  if (key != copies_key) {
    any_copies = search::has_copies(parts());
    copies_key = std::move(key);
  }
  return any_copies;
}

Hit Searcher::State::make_hit(const Xapian::Document& doc, double score,
                              const search::LanguageTerms& by_language, bool with_snippet) {
  Article article = from_stored_data(doc.get_data());
  Hit hit;
  // Each article's words are read in its own language, against its language's parse.
  const search::QueryTerms& terms = by_language.of(article.lang);
  hit.title_html = highlighter->highlight(article.title, terms.title, article.lang);
  if (with_snippet) {
    const auto length = static_cast<std::size_t>(std::max(config.server.snippet_length, 1));
    hit.snippet_html = highlighter->snippet(article.text, terms.body, length, article.lang);
  }
  hit.id = std::move(article.id);
  hit.title = std::move(article.title);
  hit.outlet = std::move(article.outlet);
  hit.date = std::move(article.date);
  hit.url = std::move(article.url);
  hit.author = std::move(article.author);
  hit.lang = std::move(article.lang);
  hit.score = score;
  return hit;
}

std::vector<Hit> Searcher::State::hits_of(std::span<const Xapian::Document> documents, std::span<const double> scores,
                                          const search::LanguageTerms& terms, bool with_snippets,
                                          const search::SecondConnections& seconds) {
  std::vector<Hit> hits;
  std::vector<std::string> groups;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    hits.push_back(make_hit(documents[i], scores[i], terms, with_snippets));
    groups.push_back(documents[i].get_value(schema::kSlotGroup));
  }
  std::vector<Copies> copies = search::copies_of(parts(), remote, groups, kHitCopies, seconds);
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (!groups[i].empty()) hits[i].copies = std::move(copies[i]);
  }
  return hits;
}

std::vector<Hit> Searcher::State::make_hits(const Xapian::MSet& mset, const search::LanguageTerms& terms,
                                           bool with_snippets, const search::SecondConnections& seconds) {
  std::vector<double> scores;
  for (auto it = mset.begin(); it != mset.end(); ++it) scores.push_back(it.get_weight());
  const std::vector<Xapian::docid> dids(mset.begin(), mset.end());
  return hits_of(search::documents_at(parts(), remote, dids, seconds), scores, terms, with_snippets, seconds);
}

}  // namespace clippings
