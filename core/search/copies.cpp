/// @file copies.cpp
#include "search/copies.h"

#include <algorithm>
#include <limits>

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
};

/// The article `id_term` names in `shards[shard]`, if it is there.
std::optional<Member> member_in(std::span<const Xapian::Database> shards, std::size_t shard,
                                const std::string& id_term) {
  const Xapian::Database& db = shards[shard];
  const auto it = db.postlist_begin(id_term);
  if (it == db.postlist_end(id_term)) return std::nullopt;
  Xapian::Document doc = db.get_document(*it, Xapian::DOC_ASSUME_VALID);
  return Member{doc.get_value(schema::kSlotDate), id_term, {shard, *it}, std::move(doc)};
}

/// The articles a group's list names, earliest first; undated ones last, each kind by id, so
/// that the order is the same however the articles are laid out in shards. A group's articles
/// may be in any shard (the indexer groups across them; index/near_duplicates.h).
std::vector<Member> members_by_date(std::span<const Xapian::Database> shards, const std::string& list,
                                    bool remote) {
  const std::vector<std::string> id_terms = schema::decode_group_members(list);
  std::vector<std::size_t> placed;
  for (const std::string& id_term : id_terms) {
    placed.push_back(schema::shard_of(std::string_view{id_term}.substr(schema::kPrefixId.size()), shards.size()));
  }
  // First in the shard the indexer puts each id in: where the indexer wrote the shards, the
  // one lookup needed (two round trips to a remote shard), each shard's at once.
  std::vector<std::optional<Member>> found(id_terms.size());
  each_shard(shards.size(), remote, [&](std::size_t shard) {
    for (std::size_t i = 0; i < id_terms.size(); ++i) {
      if (placed[i] == shard) found[i] = member_in(shards, shard, id_terms[i]);
    }
  });
  std::vector<Member> members;
  for (std::size_t i = 0; i < id_terms.size(); ++i) {
    for (std::size_t shard = 0; !found[i] && shard < shards.size(); ++shard) {
      if (shard != placed[i]) found[i] = member_in(shards, shard, id_terms[i]);
    }
    if (found[i]) members.push_back(std::move(*found[i]));
  }
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    if (a.day.empty() != b.day.empty()) return b.day.empty();
    return a.day != b.day ? a.day < b.day : a.id_term < b.id_term;
  });
  return members;
}

CopyRef copy_ref(const Xapian::Document& doc) {
  Article article = from_stored_data(doc.get_data());
  return CopyRef{std::move(article.id), std::move(article.outlet), std::move(article.date),
                 std::move(article.url), std::move(article.title), std::nullopt};
}

/// The group with up to `limit` articles but the one at `skip`; with `mine`, each with the
/// share of that text it has.
Copies group_of(std::span<const Xapian::Database> shards, bool remote, const std::string& group,
                std::size_t limit, std::optional<ShardDocid> skip, const std::optional<text::Signature>& mine) {
  Copies copies;
  copies.group = group;
  const std::vector<Member> members =
      members_by_date(shards, find_metadata(shards, schema::group_metadata_key(group)).value, remote);
  copies.count = static_cast<Xapian::doccount>(members.size());
  if (!members.empty() && !members.front().day.empty()) {
    copies.first = copy_ref(members.front().doc);
  }
  for (const Member& member : members) {
    if (copies.items.size() >= limit) break;
    if (skip && member.at.shard == skip->shard && member.at.did == skip->did) continue;
    CopyRef copy = copy_ref(member.doc);
    const auto theirs = text::decode_signature(member.doc.get_value(schema::kSlotSignature));
    if (mine && theirs) copy.shared = text::containment(*mine, *theirs);
    copies.items.push_back(std::move(copy));
  }
  return copies;
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

Copies copies_of(std::span<const Xapian::Database> shards, bool remote, const std::string& group,
                 std::size_t limit) {
  return group_of(shards, remote, group, limit, std::nullopt, std::nullopt);
}

Copies copies_of_article(std::span<const Xapian::Database> shards, bool remote, Xapian::docid did) {
  const ShardDocid at = locate(did, shards.size());
  const Xapian::Database& db = shards[at.shard];
  const Xapian::Document doc = db.get_document(at.did);
  const std::string group = doc.get_value(schema::kSlotGroup);
  if (group.empty()) {
    Copies alone;
    alone.count = 1;
    if (!doc.get_value(schema::kSlotDate).empty()) alone.first = copy_ref(doc);
    return alone;
  }
  return group_of(shards, remote, group, std::numeric_limits<std::size_t>::max(), at,
                  text::decode_signature(doc.get_value(schema::kSlotSignature)));
}

}  // namespace clippings::search
