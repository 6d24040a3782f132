/// @file hit_stream.h
/// Every match of a search, in the search's order, read one at a time: what the exports send.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "article.h"
#include "search/highlight.h"
#include "search/multilingual_query.h"

namespace clippings {

/// One article of a result, as stored, with how it matched.
struct StreamedHit {
  Article article;
  double score = 0;          ///< as in Hit
  std::string title_html;    ///< as in Hit
  std::string snippet_html;  ///< as in Hit; "" when the stream makes no snippets
  std::string indexed;       ///< when first indexed, RFC 3339 UTC; "" when not recorded
  std::string group;         ///< its group of copies (kSlotGroup); its own id when it has no copy
  Xapian::doccount copies = 1;  ///< articles in the group, this one included
};

/// The matches of one search, ordered by one match pass (Searcher::stream) and read from the
/// database revision that pass saw, however many commits follow: rows are neither repeated
/// nor skipped. The order costs about 100 bytes a match (Xapian's MSet); articles are read
/// only as next() asks for them. Made by Searcher::stream(), and valid while its Searcher is
/// neither destroyed nor used for anything else (that would move its handle to a newer
/// revision).
class HitStream {
 public:
  /// `msets` hold the hits in order (one match pass, or more: search::oldest_first).
  HitStream(std::vector<Xapian::MSet> msets, Xapian::doccount total, search::LanguageTerms terms,
            search::Highlighter& highlighter, std::size_t snippet_length,
            std::vector<Xapian::Database> shards, std::vector<std::string> missing_shards = {});

  /// Every match of the search, not only those this stream gives.
  Xapian::doccount total() const { return total_; }
  /// How many hits next() gives in all.
  Xapian::doccount size() const { return size_; }
  /// Shards that were down (server.partial_results): the rows are those of the others.
  const std::vector<std::string>& missing_shards() const { return missing_shards_; }

  /// Fills `hit` with the next match; false after the last. Throws
  /// Xapian::DatabaseModifiedError when commits (two or more since the pass) have overwritten
  /// the revision: the stream cannot go on without repeating or skipping rows.
  bool next(StreamedHit& hit);

 private:
  std::vector<Xapian::MSet> msets_;
  std::size_t mset_ = 0;      ///< of msets_, the one read
  Xapian::MSetIterator at_;   ///< in it, the next hit
  Xapian::doccount size_ = 0;
  Xapian::doccount total_;
  search::LanguageTerms terms_;  ///< each article is marked in its language
  search::Highlighter* highlighter_;
  std::size_t snippet_length_;  ///< 0: no snippets
  /// The databases of the pass (one, or its shards), for the size of each group of copies.
  std::vector<Xapian::Database> shards_;
  std::vector<std::string> missing_shards_;
};

}  // namespace clippings
