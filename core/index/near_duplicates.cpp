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

std::optional<text::Signature> signature_at(const Xapian::Database& db, Xapian::docid did) {
  return text::decode_signature(db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotSignature));
}

/// The id term of `did` without its prefix: what names a group it is the first of.
std::string id_value(const Xapian::Database& db, Xapian::docid did) {
  auto term = db.termlist_begin(did);
  term.skip_to(std::string{schema::kPrefixId});
  if (term == db.termlist_end(did)) return {};
  const std::string& found = *term;
  return found.starts_with(schema::kPrefixId) ? found.substr(schema::kPrefixId.size()) : std::string{};
}

/// Puts `did` in `group` ("" for none); whether that changed anything.
bool set_group(Xapian::WritableDatabase& db, Xapian::docid did, const std::string& group) {
  Xapian::Document doc = db.get_document(did);
  const std::string old = doc.get_value(schema::kSlotGroup);
  if (old == group) return false;
  if (!old.empty()) doc.remove_term(schema::group_term(old));
  if (group.empty()) {
    doc.remove_value(schema::kSlotGroup);
  } else {
    doc.add_value(schema::kSlotGroup, group);
    doc.add_boolean_term(schema::group_term(group));
  }
  db.replace_document(did, doc);
  return true;
}

/// Names the group of `members` (its smallest id) and writes it to each; one member alone is in
/// no group. Returns how many changed.
std::uint64_t write_group(Xapian::WritableDatabase& db, const std::vector<Xapian::docid>& members) {
  std::string name;
  if (members.size() > 1) {
    for (const Xapian::docid did : members) {
      std::string id = id_value(db, did);
      if (name.empty() || id < name) name = std::move(id);
    }
  }
  std::uint64_t changed = 0;
  for (const Xapian::docid did : members) changed += set_group(db, did, name);
  return changed;
}

/// Breadth-first walks over the graph of copies, by band-term queries. Each band term's
/// postings are read once and shrink as their articles are reached: in a group of thousands
/// (a template text), every article is compared once, not once per member.
class Walker {
 public:
  explicit Walker(const Xapian::Database& db) : db_(db) {}

  /// Whether `did` has been reached by a walk.
  bool reached(Xapian::docid did) const { return reached_.count(did) != 0; }

  /// The group of `seed`: every article linked to it, directly or through others.
  std::vector<Xapian::docid> group_of(Xapian::docid seed) {
    reached_.insert(seed);
    std::vector<Xapian::docid> members{seed};
    for (std::size_t next = 0; next < members.size(); ++next) {
      const auto signature = signature_of(members[next]);
      if (!signature) continue;
      for (const auto& key : text::band_keys(*signature)) {
        std::vector<Xapian::docid>& left = unreached(std::string{schema::kPrefixBand} + key);
        // Kept: the candidates not reached and not copies of this one; a later member may be.
        std::erase_if(left, [&](Xapian::docid other) {
          if (reached(other)) return true;
          const auto theirs = signature_of(other);
          if (!theirs || !text::are_copies(*signature, *theirs)) return false;
          reached_.insert(other);
          members.push_back(other);
          return true;
        });
      }
    }
    return members;
  }

 private:
  const std::optional<text::Signature>& signature_of(Xapian::docid did) {
    auto [it, added] = signatures_.try_emplace(did);
    if (added) it->second = signature_at(db_, did);
    return it->second;
  }

  std::vector<Xapian::docid>& unreached(const std::string& term) {
    auto [it, added] = postings_.try_emplace(term);
    if (added) {
      for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) it->second.push_back(*p);
    }
    return it->second;
  }

  const Xapian::Database& db_;
  std::unordered_set<Xapian::docid> reached_;
  std::unordered_map<Xapian::docid, std::optional<text::Signature>> signatures_;
  std::unordered_map<std::string, std::vector<Xapian::docid>> postings_;
};

/// Union-find over indexes into the signatures read.
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
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

/// A band's rows as one number: the key the in-memory pass sorts on.
std::uint64_t band_number(const text::Signature& signature, std::size_t band) {
  std::uint64_t key = 0;
  for (std::size_t row = 0; row < text::kBandRows; ++row) {
    key = (key << 16) | signature.mins[band * text::kBandRows + row];
  }
  return key;
}

}  // namespace

std::uint64_t group_all_copies(Xapian::WritableDatabase& db) {
  std::vector<std::pair<Xapian::docid, text::Signature>> read;
  for (auto it = db.valuestream_begin(schema::kSlotSignature); it != db.valuestream_end(schema::kSlotSignature);
       ++it) {
    if (auto signature = text::decode_signature(*it)) read.emplace_back(it.get_docid(), *signature);
  }
  Components components{read.size()};
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(read.size());
  for (std::size_t band = 0; band < text::kBands; ++band) {
    for (std::size_t i = 0; i < read.size(); ++i) {
      keys[i] = {band_number(read[i].second, band), static_cast<std::uint32_t>(i)};
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
  std::uint64_t changed = 0;
  std::unordered_set<Xapian::docid> grouped;
  for (const auto& [root, members] : groups) {
    if (members.size() < 2) continue;
    changed += write_group(db, members);
    grouped.insert(members.begin(), members.end());
  }
  // Groups left from before (a database grouped by an earlier run) that no longer hold.
  std::vector<Xapian::docid> stale;
  for (auto it = db.valuestream_begin(schema::kSlotGroup); it != db.valuestream_end(schema::kSlotGroup); ++it) {
    if (!grouped.count(it.get_docid())) stale.push_back(it.get_docid());
  }
  for (const Xapian::docid did : stale) changed += set_group(db, did, "");
  return changed;
}

std::uint64_t regroup_copies(Xapian::WritableDatabase& db, const std::vector<std::string>& ids,
                             const std::vector<std::string>& groups) {
  std::vector<Xapian::docid> seeds;
  for (const auto& id : ids) {
    for (auto it = db.postlist_begin(id); it != db.postlist_end(id); ++it) seeds.push_back(*it);
  }
  for (const auto& group : groups) {
    const std::string term = schema::group_term(group);
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) seeds.push_back(*it);
  }
  Walker walker{db};
  std::uint64_t changed = 0;
  for (const Xapian::docid seed : seeds) {
    if (!walker.reached(seed)) changed += write_group(db, walker.group_of(seed));
  }
  return changed;
}

}  // namespace clippings
