/// @file copies.cpp
#include "search/copies.h"

#include <algorithm>
#include <tuple>

#include "article.h"
#include "schema.h"
#include "search/shards.h"
#include "text/minhash.h"

namespace clippings::search {
namespace {

struct Member {
  std::string day;  ///< kSlotDate value; "" when undated
  Xapian::docid did;
};

/// The members of `group`, earliest first; undated ones last, each kind in indexing order.
std::vector<Member> members_by_date(const Xapian::Database& db, const std::string& group) {
  std::vector<Member> members;
  for (const auto& id_term : schema::decode_group_members(db.get_metadata(schema::group_metadata_key(group)))) {
    const auto it = db.postlist_begin(id_term);
    if (it == db.postlist_end(id_term)) continue;
    members.push_back({db.get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotDate), *it});
  }
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return std::tuple{a.day.empty(), a.day, a.did} < std::tuple{b.day.empty(), b.day, b.did};
  });
  return members;
}

CopyRef copy_ref(const Xapian::Document& doc) {
  Article article = from_stored_data(doc.get_data());
  return CopyRef{std::move(article.id), std::move(article.outlet), std::move(article.date),
                 std::move(article.url), std::move(article.title), std::nullopt};
}

/// The group with up to `limit` articles but `skip`; with `mine`, each with the share of that
/// text it has.
Copies group_of(const Xapian::Database& db, const std::string& group, std::size_t limit,
                Xapian::docid skip, const std::optional<text::Signature>& mine) {
  Copies copies;
  copies.group = group;
  const std::vector<Member> members = members_by_date(db, group);
  copies.count = static_cast<Xapian::doccount>(members.size());
  if (!members.empty() && !members.front().day.empty()) {
    copies.first = copy_ref(db.get_document(members.front().did));
  }
  for (const Member& member : members) {
    if (copies.items.size() >= limit) break;
    if (member.did == skip) continue;
    const Xapian::Document doc = db.get_document(member.did);
    CopyRef copy = copy_ref(doc);
    const auto theirs = text::decode_signature(doc.get_value(schema::kSlotSignature));
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

Copies copies_of(std::span<const Xapian::Database> shards, const std::string& group, std::size_t limit) {
  // A group is written into one database, with its articles: its list says which.
  const ShardMetadata list = find_metadata(shards, schema::group_metadata_key(group));
  return group_of(list.shard ? *list.shard : shards.front(), group, limit, 0, std::nullopt);
}

Copies copies_of_article(std::span<const Xapian::Database> shards, Xapian::docid did) {
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
  return group_of(db, group, db.get_doccount(), at.did,
                  text::decode_signature(doc.get_value(schema::kSlotSignature)));
}

}  // namespace clippings::search
