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

/// The articles of `id_terms` that `shards[shard]` holds, by id term: one search for them all,
/// then each one's document (a round trip each to a remote shard, where looking up each id
/// would cost two).
std::map<std::string, Member> members_in(std::span<const Xapian::Database> shards, std::size_t shard,
                                         const std::vector<std::string>& id_terms) {
  std::map<std::string, Member> found;
  if (id_terms.empty()) return found;
  const std::vector<Xapian::Query> ids(id_terms.begin(), id_terms.end());
  Xapian::Enquire enquire{shards[shard]};
  enquire.set_query(Xapian::Query{Xapian::Query::OP_OR, ids.begin(), ids.end()});
  enquire.set_weighting_scheme(Xapian::BoolWeight{});
  const Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(id_terms.size()));
  for (auto it = matches.begin(); it != matches.end(); ++it) {
    Xapian::Document doc = it.get_document();
    Article article = from_stored_data(doc.get_data());
    std::string id_term = schema::id_term(article.id);
    found.insert_or_assign(id_term, Member{doc.get_value(schema::kSlotDate), id_term, {shard, *it}, std::move(doc),
                                           std::move(article)});
  }
  return found;
}

/// The articles each of `lists` (groups' lists) names, each list's earliest first; undated ones
/// last, each kind by id, so that the order is the same however the articles are laid out in
/// shards. A group's articles may be in any shard (the indexer groups across them;
/// index/near_duplicates.h): each is looked for first in the shard the indexer puts its id in,
/// where the indexer wrote the shards the one lookup needed, every shard's at once.
std::vector<std::vector<Member>> members_by_date(std::span<const Xapian::Database> shards,
                                                 const std::vector<std::string>& lists, bool remote) {
  std::vector<std::vector<std::string>> listed;
  std::vector<std::vector<std::string>> placed(shards.size());
  for (const std::string& list : lists) {
    listed.push_back(schema::decode_group_members(list));
    for (const std::string& id_term : listed.back()) {
      const std::string_view id = std::string_view{id_term}.substr(schema::kPrefixId.size());
      placed[schema::shard_of(id, shards.size())].push_back(id_term);
    }
  }
  std::vector<std::map<std::string, Member>> found_in(shards.size());
  each_shard(shards.size(), remote, [&](std::size_t shard) { found_in[shard] = members_in(shards, shard, placed[shard]); });
  std::map<std::string, Member> found;
  for (auto& in_shard : found_in) found.merge(in_shard);
  // Shards laid out otherwise: the others are searched for the ids not found.
  for (std::size_t shard = 0; shard < shards.size(); ++shard) {
    std::vector<std::string> missing;
    for (std::size_t other = 0; other < shards.size(); ++other) {
      if (other == shard) continue;
      for (const std::string& id_term : placed[other]) {
        if (!found.contains(id_term)) missing.push_back(id_term);
      }
    }
    found.merge(members_in(shards, shard, missing));
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

/// The list of each of `groups` ("" for none).
std::vector<std::string> group_lists(std::span<const Xapian::Database> shards, std::span<const std::string> groups) {
  std::vector<std::string> lists;
  for (const std::string& group : groups) {
    lists.push_back(group.empty() ? std::string{} : find_metadata(shards, schema::group_metadata_key(group)).value);
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
                              std::span<const std::string> groups, std::size_t limit) {
  const std::vector<std::vector<Member>> members = members_by_date(shards, group_lists(shards, groups), remote);
  std::vector<Copies> copies;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    copies.push_back(groups[i].empty() ? Copies{} : group_of(groups[i], members[i], limit, std::nullopt, std::nullopt));
  }
  return copies;
}

Copies copies_of_article(std::span<const Xapian::Database> shards, bool remote, Xapian::docid did) {
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
  const std::vector<std::vector<Member>> members = members_by_date(shards, group_lists(shards, {&group, 1}), remote);
  return group_of(group, members.front(), std::numeric_limits<std::size_t>::max(), at,
                  text::decode_signature(doc.get_value(schema::kSlotSignature)));
}

}  // namespace clippings::search
