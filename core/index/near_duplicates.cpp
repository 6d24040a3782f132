/// @file near_duplicates.cpp
#include "index/near_duplicates.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "schema.h"
#include "text/minhash.h"

namespace clippings {
namespace {

/// The id term of `did`.
std::string id_term_of(const Xapian::Database& db, Xapian::docid did) {
  auto term = db.termlist_begin(did);
  term.skip_to(std::string{schema::kPrefixId});
  if (term == db.termlist_end(did) || !(*term).starts_with(schema::kPrefixId)) return {};
  return *term;
}

/// The articles a group's metadata lists, as they are in `db` now.
void append_members(const Xapian::Database& db, const std::string& group, std::vector<Xapian::docid>& out) {
  for (const auto& id_term : schema::decode_group_members(db.get_metadata(schema::group_metadata_key(group)))) {
    if (auto it = db.postlist_begin(id_term); it != db.postlist_end(id_term)) out.push_back(*it);
  }
}

/// Writes groups: each article's slot and each group's list of articles. The lists of groups
/// that were split or merged away are deleted at finish().
class GroupWriter {
 public:
  explicit GroupWriter(Xapian::WritableDatabase& db) : db_(db) {}

  /// Names the group of `members` (its smallest id) and writes it; one member alone is in no
  /// group.
  void write(const std::vector<Xapian::docid>& members) {
    std::vector<std::string> id_terms;
    for (const Xapian::docid did : members) {
      if (std::string term = id_term_of(db_, did); !term.empty()) id_terms.push_back(std::move(term));
    }
    std::sort(id_terms.begin(), id_terms.end());
    std::string name;
    if (members.size() > 1 && !id_terms.empty()) {
      name = id_terms.front().substr(schema::kPrefixId.size());
      const std::string key = schema::group_metadata_key(name);
      db_.set_metadata(key, schema::encode_group_members(id_terms));
      written_.insert(key);
    }
    for (const Xapian::docid did : members) set_group(did, name);
  }

  /// Counts `group` among the groups articles left: a replaced article comes without its group.
  void left(const std::string& group) { left_.insert(schema::group_metadata_key(group)); }

  /// Deletes the lists of the groups that articles left and no article is in any more, or
  /// with `every_other`, of every group not written; returns how many articles changed group.
  std::uint64_t finish(bool every_other = false) {
    if (every_other) {
      const std::string prefix{schema::kMetadataGroupPrefix};
      for (auto key = db_.metadata_keys_begin(prefix); key != db_.metadata_keys_end(prefix); ++key) {
        left_.insert(*key);
      }
    }
    for (const auto& key : left_) {
      if (!written_.count(key)) db_.set_metadata(key, "");
    }
    return changed_;
  }

 private:
  /// Puts `did` in `group` ("" for none). Only the value changes, so the article's terms and
  /// positions are neither read nor written.
  void set_group(Xapian::docid did, const std::string& group) {
    Xapian::Document doc = db_.get_document(did);
    const std::string old = doc.get_value(schema::kSlotGroup);
    if (old == group) return;
    if (!old.empty()) left_.insert(schema::group_metadata_key(old));
    if (group.empty()) {
      doc.remove_value(schema::kSlotGroup);
    } else {
      doc.add_value(schema::kSlotGroup, group);
    }
    db_.replace_document(did, doc);
    ++changed_;
  }

  Xapian::WritableDatabase& db_;
  std::unordered_set<std::string> written_;  ///< metadata keys
  std::unordered_set<std::string> left_;     ///< metadata keys
  std::uint64_t changed_ = 0;
};

/// Union-find over node numbers 0 to size() - 1.
class Components {
 public:
  explicit Components(std::size_t n = 0) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t size() const { return parent_.size(); }
  std::size_t add() {
    parent_.push_back(parent_.size());
    return parent_.size() - 1;
  }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

/// Every signature in the database, with its article.
std::vector<std::pair<Xapian::docid, text::Signature>> read_signatures(const Xapian::Database& db) {
  std::vector<std::pair<Xapian::docid, text::Signature>> read;
  for (auto it = db.valuestream_begin(schema::kSlotSignature); it != db.valuestream_end(schema::kSlotSignature);
       ++it) {
    if (auto signature = text::decode_signature(*it)) read.emplace_back(it.get_docid(), *signature);
  }
  return read;
}

/// The articles holding `term`.
void append_postings(const Xapian::Database& db, const std::string& term, std::vector<Xapian::docid>& out) {
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) out.push_back(*it);
}

/// Writes each component's articles as one group, and deletes the lists of the groups in
/// `left` that none of them is in now; returns how many articles changed group.
std::uint64_t write_components(Xapian::WritableDatabase& db, Components& components,
                               const std::vector<Xapian::docid>& articles, const std::vector<std::string>& left) {
  std::unordered_map<std::size_t, std::vector<Xapian::docid>> groups;
  for (std::size_t i = 0; i < articles.size(); ++i) groups[components.find(i)].push_back(articles[i]);
  GroupWriter writer{db};
  for (const auto& group : left) writer.left(group);
  for (const auto& [root, members] : groups) writer.write(members);
  return writer.finish();
}

}  // namespace

std::uint64_t group_all_copies(Xapian::WritableDatabase& db) {
  const auto read = read_signatures(db);
  Components components{read.size()};
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(read.size());
  for (std::size_t band = 0; band < text::kBands; ++band) {
    for (std::size_t i = 0; i < read.size(); ++i) {
      keys[i] = {text::band_key(read[i].second, band), static_cast<std::uint32_t>(i)};
    }
    std::sort(keys.begin(), keys.end());
    // Within a run of one key, every pair is a candidate, as a query for the key would find.
    // Each article is compared with the groups the run holds so far until one member is its
    // copy: a run of thousands of copies costs one comparison per article, not one per pair.
    for (std::size_t start = 0, end = 0; start < keys.size(); start = end) {
      while (end < keys.size() && keys[end].first == keys[start].first) ++end;
      if (end - start < 2) continue;
      std::vector<std::vector<std::size_t>> run_groups;
      for (std::size_t j = start; j < end; ++j) {
        const std::size_t b = keys[j].second;
        std::vector<std::size_t> joined{b};
        std::erase_if(run_groups, [&](std::vector<std::size_t>& members) {
          const bool linked = components.find(members.front()) == components.find(b) ||
                              std::any_of(members.begin(), members.end(), [&](std::size_t a) {
                                return text::are_copies(read[a].second, read[b].second);
                              });
          if (!linked) return false;
          components.join(members.front(), b);
          joined.insert(joined.end(), members.begin(), members.end());
          return true;
        });
        run_groups.push_back(std::move(joined));
      }
    }
  }
  std::unordered_map<std::size_t, std::vector<Xapian::docid>> groups;
  for (std::size_t i = 0; i < read.size(); ++i) groups[components.find(i)].push_back(read[i].first);
  GroupWriter writer{db};
  std::unordered_set<Xapian::docid> grouped;
  for (const auto& [root, members] : groups) {
    if (members.size() < 2) continue;
    writer.write(members);
    grouped.insert(members.begin(), members.end());
  }
  // Groups left from before (a database grouped by an earlier run) that no longer hold.
  std::vector<Xapian::docid> stale;
  for (auto it = db.valuestream_begin(schema::kSlotGroup); it != db.valuestream_end(schema::kSlotGroup); ++it) {
    if (!grouped.count(it.get_docid())) stale.push_back(it.get_docid());
  }
  for (const Xapian::docid did : stale) writer.write({did});
  return writer.finish(/*every_other=*/true);
}

std::uint64_t regroup_copies(Xapian::WritableDatabase& db, const std::vector<std::string>& ids,
                             const std::vector<std::string>& groups) {
  // The articles grouped afresh ("seeds"): those written, and every member of a group that
  // lost or changed an article, since such a group may have split.
  std::vector<Xapian::docid> articles;
  for (const auto& id : ids) append_postings(db, id, articles);
  for (const auto& group : groups) append_members(db, group, articles);
  std::sort(articles.begin(), articles.end());
  articles.erase(std::unique(articles.begin(), articles.end()), articles.end());
  std::unordered_map<Xapian::docid, std::size_t> node_of;
  for (std::size_t i = 0; i < articles.size(); ++i) node_of.emplace(articles[i], i);
  Components components{articles.size()};

  // Each band key of a seed's signature, and the seeds that have it.
  std::vector<std::optional<text::Signature>> seed_signatures(articles.size());
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> seeds_by_key;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    seed_signatures[i] = text::decode_signature(
        db.get_document(articles[i], Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotSignature));
    if (!seed_signatures[i]) continue;
    for (std::size_t band = 0; band < text::kBands; ++band) {
      seeds_by_key[text::band_key(*seed_signatures[i], band)].push_back(i);
    }
  }

  // One pass over every signature links each article to the seeds it is a copy of. An article
  // that is not a seed keeps its group, which joins the seed's: groups are closed under copying,
  // so its other copies are already in it.
  std::vector<Xapian::docid> joined_groups_of;
  for (auto it = db.valuestream_begin(schema::kSlotSignature); it != db.valuestream_end(schema::kSlotSignature);
       ++it) {
    const auto signature = text::decode_signature(*it);
    if (!signature) continue;
    const Xapian::docid did = it.get_docid();
    for (std::size_t band = 0; band < text::kBands; ++band) {
      const auto seeds = seeds_by_key.find(text::band_key(*signature, band));
      if (seeds == seeds_by_key.end()) continue;
      for (const std::size_t seed : seeds->second) {
        if (articles[seed] == did || !text::are_copies(*seed_signatures[seed], *signature)) continue;
        auto [node, added] = node_of.try_emplace(did, components.size());
        if (added) {
          components.add();
          articles.push_back(did);
          joined_groups_of.push_back(did);
        }
        components.join(node->second, seed);
      }
    }
  }
  for (const Xapian::docid did : joined_groups_of) {
    const std::string group = db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotGroup);
    if (group.empty()) continue;
    std::vector<Xapian::docid> members;
    append_members(db, group, members);
    for (const Xapian::docid member : members) {
      auto [node, added] = node_of.try_emplace(member, components.size());
      if (added) {
        components.add();
        articles.push_back(member);
      }
      components.join(node->second, node_of.at(did));
    }
  }
  return write_components(db, components, articles, groups);
}

}  // namespace clippings
