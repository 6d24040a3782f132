/// @file stemming.h
/// Which stemmer each language's words go through, the same in the index and in queries, and
/// what a database records about it (Xapian metadata), so that the server searches a database
/// the way it was built rather than the way its own configuration would build one.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include <xapian.h>

namespace clippings {

/// Xapian's name for the stemmer of an ISO 639-1 code ("russian" for "ru"), or "none" for a
/// language it has none for (Chinese, Ukrainian, Polish...): their words are indexed as
/// written (after text::stem_form). "" and "none" give "none".
std::string stemmer_name(std::string_view lang);

/// A word's term as the index and the query parser make it: text::stem_form, then Xapian's
/// stemmer called `name` ("none": none). Not cached: the indexer's stemmers cache on top.
Xapian::Stem word_stemmer(const std::string& name);

/// What a database holds in each language, and how those articles were stemmed.
struct IndexLanguages {
  int scheme = 1;  ///< schema::kIndexScheme of the indexer that built it; 1 when unrecorded
  /// Language code -> stemmer name, for every language some article is in (schema::kPrefixLang).
  std::map<std::string, std::string> stemmers;
  std::map<std::string, Xapian::doccount> articles;  ///< language code -> articles in it

  /// The stemmer the articles in `lang` were stemmed with, or the default one's.
  const std::string& stemmer_of(const std::string& lang) const;
  std::string default_stemmer;  ///< for languages not in `stemmers`
};

/// Reads the languages of `db` (its kPrefixLang terms) and the stemmers recorded for them. A
/// database from before the record (scheme 1) was stemmed with the indexer's default language
/// throughout: `default_language` (the configuration's) stands in for it.
IndexLanguages read_index_languages(const Xapian::Database& db, const std::string& default_language);
/// The same over databases searched together (shards), each read on its own (a joined
/// database's metadata is its first shard's): every language any of them has, with the
/// articles of all, and the stemmer and scheme of the first that records them.
IndexLanguages read_index_languages(std::span<const Xapian::Database> shards, const std::string& default_language);

/// Records the scheme and the stemmer of every language that `db` holds articles in, to be
/// committed with them. One metadata key per language, so that merging shards keeps them all.
void record_index_languages(Xapian::WritableDatabase& db);

}  // namespace clippings
