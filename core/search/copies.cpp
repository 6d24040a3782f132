/// @file copies.cpp
#include "search/copies.h"

#include <algorithm>
#include <limits>
#include <map>

#include "article.h"
#include "schema.h"
#include "search/shards.h"
#include "text/minhash.h"

namespace clippings::search {
namespace {

struct Member {
  std::string day;  ///< kSlotDate value; "" when undated
  std::string id_term;
  ShardDocid at;
  Xapian::Document doc;  ///< kept: reading it again is another round trip to a remote shard
  Article article;       ///< its stored data
};

/// The docids (the shard's own) of the articles of `id_terms` that `shard` holds: one search
/// for them all, where looking each id up would cost a round trip to a remote shard.
std::vector<Xapian::docid> holding(const Xapian::Database& shard, const std::vector<std::string>& id_terms) {
  if (id_terms.empty()) return {};
  const std::vector<Xapian::Query> ids(id_terms.begin(), id_terms.end());
  Xapian::Enquire enquire{shard};
  enquire.set_query(Xapian::Query{Xapian::Query::OP_OR, ids.begin(), ids.end()});
  enquire.set_weighting_scheme(Xapian::BoolWeight{});
  const Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(id_terms.size()));
  return {matches.begin(), matches.end()};
}

/// The articles at `held` (each shard's own docids), by id term: their documents read by
/// documents_at, a round trip each to a remote shard.
std::map<std::string, Member> members_at(std::span<const Xapian::Database> shards, bool remote,
                                         const std::vector<std::vector<Xapian::docid>>& held,
                                         const SecondConnections& seconds) {
  std::vector<Xapian::docid> dids;
  std::vector<ShardDocid> places;
  for (std::size_t shard = 0; shard < held.size(); ++shard) {
    for (const Xapian::docid did : held[shard]) {
      places.push_back({shard, did});
      dids.push_back(joined_docid(places.back(), shards.size()));
    }
  }
  std::vector<Xapian::Document> documents = documents_at(shards, remote, dids, seconds);
  std::map<std::string, Member> found;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    Article article = from_stored_data(documents[i].get_data());
    std::string id_term = schema::id_term(article.id);
    std::string day = documents[i].get_value(schema::kSlotDate);
    found.insert_or_assign(id_term, Member{std::move(day), id_term, places[i], std::move(documents[i]),
                                           std::move(article)});
  }
  return found;
}

/// The articles each of `lists` (groups' lists) names, each list's earliest first; undated ones
/// last, each kind by id, so that the order is the same however the articles are laid out in
/// shards. A group's articles may be in any shard (the indexer groups across them;
/// index/near_duplicates.h): each is looked for first in the shard the indexer puts its id in,
/// where the indexer wrote the shards the one lookup needed, every shard's at once; those not
/// found there, in every other shard, again every shard's at once.
std::vector<std::vector<Member>> members_by_date(std::span<const Xapian::Database> shards,
                                                 const std::vector<std::string>& lists, bool remote,
                                                 const SecondConnections& seconds) {
  std::vector<std::vector<std::string>> listed;
  std::vector<std::vector<std::string>> placed(shards.size());
  for (const std::string& list : lists) {
    listed.push_back(schema::decode_group_members(list));
    for (const std::string& id_term : listed.back()) {
      const std::string_view id = std::string_view{id_term}.substr(schema::kPrefixId.size());
      placed[schema::shard_of(id, shards.size())].push_back(id_term);
    }
  }
  std::vector<std::vector<Xapian::docid>> held(shards.size());
  each_shard(shards.size(), remote, [&](std::size_t shard) { held[shard] = holding(shards[shard], placed[shard]); });
  std::map<std::string, Member> found = members_at(shards, remote, held, seconds);
  // Shards laid out otherwise: each other shard is searched for the ids not found, all at once.
  std::vector<std::vector<std::string>> missing(shards.size());
  for (std::size_t placed_in = 0; placed_in < shards.size(); ++placed_in) {
    for (const std::string& id_term : placed[placed_in]) {
      if (found.contains(id_term)) continue;
      for (std::size_t shard = 0; shard < shards.size(); ++shard) {
        if (shard != placed_in) missing[shard].push_back(id_term);
      }
    }
  }
  if (std::any_of(missing.begin(), missing.end(), [](const auto& ids) { return !ids.empty(); })) {
    each_shard(shards.size(), remote, [&](std::size_t shard) { held[shard] = holding(shards[shard], missing[shard]); });
    found.merge(members_at(shards, remote, held, seconds));
  }
  std::vector<std::vector<Member>> members(lists.size());
  for (std::size_t i = 0; i < lists.size(); ++i) {
    for (const std::string& id_term : listed[i]) {
      if (const auto it = found.find(id_term); it != found.end()) members[i].push_back(it->second);
    }
    std::sort(members[i].begin(), members[i].end(), [](const Member& a, const Member& b) {
      if (a.day.empty() != b.day.empty()) return b.day.empty();
      return a.day != b.day ? a.day < b.day : a.id_term < b.id_term;
    });
  }
  return members;
}

CopyRef copy_ref(const Article& article) {
  return CopyRef{article.id, article.outlet, article.date, article.url, article.title, std::nullopt};
}

/// The group `group` of `members` (members_by_date) with up to `limit` of them but the one at
/// `skip`; with `mine`, each with the share of that text it has.
Copies group_of(const std::string& group, const std::vector<Member>& members, std::size_t limit,
                std::optional<ShardDocid> skip, const std::optional<text::Signature>& mine) {
  Copies copies;
  copies.group = group;
  copies.count = static_cast<Xapian::doccount>(members.size());
  if (!members.empty() && !members.front().day.empty()) copies.first = copy_ref(members.front().article);
  for (const Member& member : members) {
    if (copies.items.size() >= limit) break;
    if (skip && member.at.shard == skip->shard && member.at.did == skip->did) continue;
    CopyRef copy = copy_ref(member.article);
    const auto theirs = text::decode_signature(member.doc.get_value(schema::kSlotSignature));
    if (mine && theirs) copy.shared = text::containment(*mine, *theirs);
    copies.items.push_back(std::move(copy));
  }
  return copies;
}

/// The list of each of `groups` ("" for none): read from the first shard, where the indexer
/// writes them, over both its connections with `seconds` (share_out); one not there is looked
/// for in the others.
std::vector<std::string> group_lists(std::span<const Xapian::Database> shards, bool remote,
                                     std::span<const std::string> groups, const SecondConnections& seconds) {
  std::vector<std::string> lists(groups.size());
  std::vector<std::size_t> named;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!groups[i].empty()) named.push_back(i);
  }
  if (named.empty() || shards.empty()) return lists;
  const SecondConnections first_shards_second =
      seconds.shards.empty() ? SecondConnections{} : SecondConnections{seconds.shards.first(1), seconds.free};
  share_out(shards.first(1), first_shards_second, remote, {named},
            [&](const Xapian::Database& connection, std::size_t, std::size_t i) {
              lists[i] = connection.get_metadata(schema::group_metadata_key(groups[i]));
            });
  for (const std::size_t i : named) {
    if (lists[i].empty()) lists[i] = find_metadata(shards.subspan(1), schema::group_metadata_key(groups[i])).value;
  }
  return lists;
}

}  // namespace

bool has_copies(std::span<const Xapian::Database> shards) {
  // An article has a group value only while it has a copy. The count of values is kept by the
  // database: one read, where listing the groups' metadata keys from a remote shard would send
  // every key.
  return std::any_of(shards.begin(), shards.end(),
                     [](const Xapian::Database& shard) { return shard.get_value_freq(schema::kSlotGroup) != 0; });
}

Xapian::doccount copy_count(std::span<const Xapian::Database> shards, const std::string& group) {
  if (group.empty()) return 1;
  const auto count = schema::decode_group_members(find_metadata(shards, schema::group_metadata_key(group)).value).size();
  return static_cast<Xapian::doccount>(std::max<std::size_t>(count, 1));
}

std::vector<Copies> copies_of(std::span<const Xapian::Database> shards, bool remote,
                              std::span<const std::string> groups, std::size_t limit,
                              const SecondConnections& seconds) {
  const std::vector<std::vector<Member>> members =
      members_by_date(shards, group_lists(shards, remote, groups, seconds), remote, seconds);
  std::vector<Copies> copies;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    copies.push_back(groups[i].empty() ? Copies{} : group_of(groups[i], members[i], limit, std::nullopt, std::nullopt));
  }
  return copies;
}

Copies copies_of_article(std::span<const Xapian::Database> shards, bool remote, Xapian::docid did,
                         const SecondConnections& seconds) {
  const ShardDocid at = locate(did, shards.size());
  const Xapian::Database& db = shards[at.shard];
  const Xapian::Document doc = db.get_document(at.did);
  const std::string group = doc.get_value(schema::kSlotGroup);
  if (group.empty()) {
    Copies alone;
    alone.count = 1;
    if (!doc.get_value(schema::kSlotDate).empty()) alone.first = copy_ref(from_stored_data(doc.get_data()));
    return alone;
  }
  const std::vector<std::vector<Member>> members =
      members_by_date(shards, group_lists(shards, remote, {&group, 1}, seconds), remote, seconds);
  return group_of(group, members.front(), std::numeric_limits<std::size_t>::max(), at,
                  text::decode_signature(doc.get_value(schema::kSlotSignature)));
}

}  // namespace clippings::search
