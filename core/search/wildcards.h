/// @file wildcards.h
/// The wildcards of a parsed query: the pattern each expands, and over shards, the words one
/// database would expand it to. Xapian expands a wildcard in each shard on its own: where a
/// pattern starts more words than it may expand to, each shard would keep its own most
/// frequent ones; and a shard lacking some of the words weighs the wildcard (a synonym of its
/// words, estimated from the words it has) otherwise than one database does.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace clippings::search {

/// The pattern of an OP_WILDCARD query ("Smoth" for title:smoth*); empty for another query.
std::string wildcard_pattern(const Xapian::Query& wildcard);

/// Patterns, each with the words it expands to over all the shards.
using KeptWords = std::unordered_map<std::string, std::vector<std::string>>;

/// How many words `pattern` expands to in `db` (at most `limit`), which go to `kept`: every
/// word, or when there are more than `limit`, the `limit` most frequent in all of `db` (ties in
/// term order), those one database holding all its shards' articles keeps.
std::size_t keep_most_frequent(const Xapian::Database& db, const std::string& pattern, std::size_t limit,
                               KeptWords& kept);

/// `query` with each wildcard whose pattern is in `kept` replaced by its kept words, joined as
/// the wildcard joins them (SYNONYM, unless it says OR or MAX). Other wildcards are left as
/// they are.
Xapian::Query expand_wildcards(const Xapian::Query& query, const KeptWords& kept);

}  // namespace clippings::search
