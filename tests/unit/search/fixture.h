/// @file fixture.h
/// A small fictional news database for the searcher's tests: 13 articles from three outlets,
/// dated over 2021-2023 with two undated.
#pragma once

#include <string>
#include <vector>

#include "article.h"
#include "config.h"
#include "search/searcher.h"
#include "support.h"

namespace clippings::test {

/// The articles, ids "a01".."a13". Outlets: The Harbour Gazette 5, Northern Ledger 4,
/// Valley Courier 4. Years: 2021 2, 2022 5, 2023 4, undated 2 (a11, a12).
std::vector<Article> sample_articles();

/// An English article dated 2022-05-01, with a URL made from its id.
Article article(std::string id, std::string outlet, std::string title, std::string text);

/// Writes (or adds to) the database at `path`, spelling data included, and commits.
void write_articles(const std::string& path, const std::vector<Article>& articles);

/// A configuration searching `path`.
Config config_for(const std::string& path);

/// A database of sample_articles() in its own directory and a Searcher over it.
struct SampleIndex {
  SampleIndex();
  TempDir dir;
  std::string path;
  Searcher searcher;
};

/// A request for `q` with everything else at its default.
SearchRequest request_for(const std::string& q);
/// The ids of the hits, in order.
std::vector<std::string> ids_of(const std::vector<Hit>& hits);
/// The ids of a search, sorted (for comparing sets).
std::vector<std::string> sorted_ids(const SearchResponse& response);

}  // namespace clippings::test
