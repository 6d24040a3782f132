/// @file near_duplicates.cpp
#include "index/near_duplicates.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "schema.h"
#include "text/minhash.h"

namespace clippings {

void CopiesToGroup::add(const CopiesToGroup& other) {
  all = all || other.all;
  ids.insert(ids.end(), other.ids.begin(), other.ids.end());
  groups.insert(groups.end(), other.groups.begin(), other.groups.end());
}

namespace {

// Grouping all is cheaper than regrouping once the articles written are this share
// (1/kRegroupAllShare) of the database, and at least kRegroupAllMin: regrouping looks up each
// written article's band keys and the groups they touch, grouping all sorts every signature by
// each band.
constexpr std::size_t kRegroupAllShare = 10;
constexpr std::size_t kRegroupAllMin = 1000;

/// `shards` as one database, its docids interleaving theirs (Xapian's numbering of a database
/// of several shards); writes by docid go to the shard that holds it.
Xapian::WritableDatabase joined(std::span<Xapian::WritableDatabase> shards) {
  if (shards.size() == 1) return shards.front();
  Xapian::WritableDatabase all;
  for (Xapian::WritableDatabase& shard : shards) all.add_database(shard);
  return all;
}

/// The lists of the groups' articles (schema::group_metadata_key), which Xapian keeps per
/// shard: written into the first shard and deleted from the others; read from the first that
/// has one (an index grouped shard by shard has lists in each).
class GroupLists {
 public:
  explicit GroupLists(std::span<Xapian::WritableDatabase> shards) : shards_(shards) {}

  std::string get(const std::string& key) const {
    for (const Xapian::WritableDatabase& shard : shards_) {
      if (std::string list = shard.get_metadata(key); !list.empty()) return list;
    }
    return {};
  }

  /// Sets the list at `key`; "" deletes it.
  void set(const std::string& key, const std::string& list) {
    shards_.front().set_metadata(key, list);
    for (std::size_t i = 1; i < shards_.size(); ++i) shards_[i].set_metadata(key, "");
  }

  /// Sets every shard's change mark (schema::mark_changed): articles' groups were rewritten.
  void mark_changed() {
    for (Xapian::WritableDatabase& shard : shards_) schema::mark_changed(shard);
  }

  /// Every key with a list, in any shard.
  std::unordered_set<std::string> keys() const {
    std::unordered_set<std::string> found;
    const std::string prefix{schema::kMetadataGroupPrefix};
    for (const Xapian::WritableDatabase& shard : shards_) {
      for (auto key = shard.metadata_keys_begin(prefix); key != shard.metadata_keys_end(prefix); ++key) {
        found.insert(*key);
      }
    }
    return found;
  }

 private:
  std::span<Xapian::WritableDatabase> shards_;
};

/// What was learnt of articles on the way: a written article's id term from the update, a
/// grouped article's id term and group from its group's list. Any other is read from the
/// database: an id term from the article's term list, which means decoding the whole list, and
/// a group from its value. At an update into a large database, most of the time spent writing
/// groups went to those reads.
class KnownArticles {
 public:
  KnownArticles(const Xapian::Database& db, const GroupLists& lists) : db_(db), lists_(lists) {}

  /// The article with `id_term`, just written (none once deleted). Call before
  /// append_members().
  void append_written(const std::string& id_term, std::vector<Xapian::docid>& out) {
    const std::size_t first = out.size();
    append_postings(id_term, out);
    // Written articles come without a group (ShardWriter::write).
    for (std::size_t i = first; i < out.size(); ++i) groups_.insert_or_assign(out[i], "");
  }

  /// The articles a group's metadata lists, as they are in the database now.
  void append_members(const std::string& group, std::vector<Xapian::docid>& out) {
    const std::size_t first = out.size();
    for (const auto& id_term : schema::decode_group_members(lists_.get(schema::group_metadata_key(group)))) {
      append_postings(id_term, out);
    }
    // A group's list and its members' values are written together (GroupWriter); an article
    // written again is still on the list but already known to be in no group, which stays.
    for (std::size_t i = first; i < out.size(); ++i) groups_.emplace(out[i], group);
  }

  /// Learns every article's id term from the id terms' posting lists, in one pass: where most
  /// articles are grouped (a bulk load), cheaper than reading each one's term list. Local
  /// databases only: remotely, each posting list is a round trip.
  void learn_every_id_term() {
    const std::string prefix{schema::kPrefixId};
    for (auto term = db_.allterms_begin(prefix); term != db_.allterms_end(prefix); ++term) {
      for (auto it = db_.postlist_begin(*term); it != db_.postlist_end(*term); ++it) id_terms_.emplace(*it, *term);
    }
  }

  /// The id term of `did`; "" when it has none.
  std::string id_term(Xapian::docid did) const {
    if (const auto known = id_terms_.find(did); known != id_terms_.end()) return known->second;
    auto term = db_.termlist_begin(did);
    term.skip_to(std::string{schema::kPrefixId});
    if (term == db_.termlist_end(did) || !(*term).starts_with(schema::kPrefixId)) return {};
    return *term;
  }

  /// The group `did` is in, when its group's list was read; nullptr otherwise.
  const std::string* group(Xapian::docid did) const {
    const auto known = groups_.find(did);
    return known == groups_.end() ? nullptr : &known->second;
  }

 private:
  /// The articles holding `id_term` (one, or none once deleted), remembered.
  void append_postings(const std::string& id_term, std::vector<Xapian::docid>& out) {
    for (auto it = db_.postlist_begin(id_term); it != db_.postlist_end(id_term); ++it) {
      id_terms_.emplace(*it, id_term);
      out.push_back(*it);
    }
  }

  const Xapian::Database& db_;
  const GroupLists& lists_;
  std::unordered_map<Xapian::docid, std::string> id_terms_;
  std::unordered_map<Xapian::docid, std::string> groups_;
};

/// Writes groups: each group's list of articles as it is named, each article's slot and the
/// deletion of the lists of groups that were split or merged away at finish().
class GroupWriter {
 public:
  GroupWriter(Xapian::WritableDatabase& db, GroupLists& lists, const KnownArticles& known)
      : db_(db), lists_(lists), known_(known) {}

  /// Names the group of `members` (its smallest id) and writes its list; one member alone is
  /// in no group.
  void write(const std::vector<Xapian::docid>& members) {
    std::vector<std::string> id_terms;
    for (const Xapian::docid did : members) {
      if (members.size() == 1) break;  // alone: no name needed
      if (std::string term = known_.id_term(did); !term.empty()) id_terms.push_back(std::move(term));
    }
    std::sort(id_terms.begin(), id_terms.end());
    std::string name;
    if (!id_terms.empty()) {
      name = id_terms.front().substr(schema::kPrefixId.size());
      const std::string key = schema::group_metadata_key(name);
      lists_.set(key, schema::encode_group_members(id_terms));
      written_.insert(key);
    }
    for (const Xapian::docid did : members) moves_.emplace_back(did, names_.size());
    names_.push_back(std::move(name));
  }

  /// Counts `group` among the groups articles left: a replaced article comes without its group.
  void left(const std::string& group) { left_.insert(schema::group_metadata_key(group)); }

  /// Deletes the lists of the groups that articles left and no article is in any more, or
  /// with `every_other`, of every group not written, and marks the shards changed when an
  /// article changed group; returns how many did.
  std::uint64_t finish(bool every_other = false) {
    // In docid order: each batch of changes that Xapian flushes then rewrites a few blocks of
    // values, where groups in the order found rewrote blocks all over the database in each.
    std::sort(moves_.begin(), moves_.end());
    for (const auto& [did, name] : moves_) set_group(did, names_[name]);
    if (every_other) left_.merge(lists_.keys());
    for (const auto& key : left_) {
      if (!written_.count(key)) lists_.set(key, "");
    }
    if (changed_ != 0) lists_.mark_changed();
    return changed_;
  }

 private:
  /// Puts `did` in `group` ("" for none). Only the value changes, so the article's terms and
  /// positions are neither read nor written.
  void set_group(Xapian::docid did, const std::string& group) {
    if (const std::string* known = known_.group(did); known && *known == group) return;
    Xapian::Document doc = db_.get_document(did, Xapian::DOC_ASSUME_VALID);
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
  GroupLists& lists_;
  const KnownArticles& known_;
  std::vector<std::pair<Xapian::docid, std::size_t>> moves_;  ///< articles and their groups' names_, for finish()
  std::vector<std::string> names_;
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

/// Every signature in the database, with its article, in docid order.
std::vector<std::pair<Xapian::docid, text::Signature>> read_signatures(const Xapian::Database& db,
                                                                       SlotReading reading) {
  std::vector<std::pair<Xapian::docid, text::Signature>> read;
  for_each_value(db, schema::kSlotSignature, reading, [&read](Xapian::docid did, const std::string& value) {
    if (auto signature = text::decode_signature(value)) read.emplace_back(did, *signature);
  });
  if (reading != SlotReading::kStream) {
    std::sort(read.begin(), read.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  return read;
}

/// The band keys of the seeds' signatures, and the seeds that have each, sorted by key. The
/// pass over every signature in the database asks for 40 keys an article and almost all are
/// absent: a bit table of 32 bits a key, small enough to stay in the processor's cache, answers
/// most of those at once; the rest are looked up in the sorted keys, which unlike a hash
/// table's nodes lie in one block of memory.
class SeedKeys {
 public:
  struct Entry {
    std::uint64_t key;
    std::size_t seed;
    auto operator<=>(const Entry&) const = default;
  };

  void add(std::uint64_t key, std::size_t seed) { entries_.push_back({key, seed}); }

  bool empty() const { return entries_.empty(); }

  /// Sorts the keys and builds the bit table; call after the last add().
  void seal() {
    std::sort(entries_.begin(), entries_.end());
    const std::size_t bits = std::bit_ceil(std::max<std::size_t>(entries_.size() * 32, 64));
    shift_ = 64 - std::countr_zero(bits);
    bits_.assign(bits / 64, 0);
    for (const Entry& entry : entries_) {
      const std::uint64_t bit = bit_of(entry.key);
      bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
  }

  /// The entries with `key`; none when no seed has it.
  std::span<const Entry> find(std::uint64_t key) const {
    const std::uint64_t bit = bit_of(key);
    if (!(bits_[bit / 64] >> (bit % 64) & 1)) return {};
    const auto first = std::lower_bound(entries_.begin(), entries_.end(), Entry{key, 0});
    auto last = first;
    while (last != entries_.end() && last->key == key) ++last;
    return {first, last};
  }

 private:
  /// Fibonacci hashing: the top bits of the key times 2^64 / golden ratio.
  std::uint64_t bit_of(std::uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }

  std::vector<Entry> entries_;
  std::vector<std::uint64_t> bits_;
  int shift_ = 64;
};

/// Writes each component's articles as one group, and deletes the lists of the groups in
/// `left` that none of them is in now; returns how many articles changed group.
std::uint64_t write_components(Xapian::WritableDatabase& db, GroupLists& lists, const KnownArticles& known,
                               Components& components, const std::vector<Xapian::docid>& articles,
                               const std::vector<std::string>& left) {
  std::unordered_map<std::size_t, std::vector<Xapian::docid>> groups;
  for (std::size_t i = 0; i < articles.size(); ++i) groups[components.find(i)].push_back(articles[i]);
  GroupWriter writer{db, lists, known};
  for (const auto& group : left) writer.left(group);
  for (const auto& [root, members] : groups) writer.write(members);
  return writer.finish();
}

/// The groups of copies among every article of `db`: the connected parts of the graph of
/// copies with two articles or more, each in docid order.
std::vector<std::vector<Xapian::docid>> groups_of_copies(const Xapian::Database& db, SlotReading reading) {
  const auto read = read_signatures(db, reading);
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
  std::unordered_map<std::size_t, std::vector<Xapian::docid>> components_found;
  for (std::size_t i = 0; i < read.size(); ++i) components_found[components.find(i)].push_back(read[i].first);
  std::vector<std::vector<Xapian::docid>> groups;
  for (auto& [root, members] : components_found) {
    if (members.size() > 1) groups.push_back(std::move(members));
  }
  return groups;
}

}  // namespace

std::uint64_t group_copies(std::span<Xapian::WritableDatabase> shards, const CopiesToGroup& work,
                           SlotReading reading) {
  Xapian::doccount articles = 0;
  for (const Xapian::WritableDatabase& shard : shards) articles += shard.get_doccount();
  const std::size_t written = work.ids.size();
  if (work.all || (written >= kRegroupAllMin && written * kRegroupAllShare >= articles)) {
    return group_all_copies(shards, reading);
  }
  return regroup_copies(shards, work.ids, work.groups, reading);
}

std::uint64_t group_all_copies(std::span<Xapian::WritableDatabase> shards, SlotReading reading) {
  Xapian::WritableDatabase db = joined(shards);
  // Found in a function of its own, so that the signatures (250 MB a million articles) are
  // freed before the id terms are learnt.
  const auto groups = groups_of_copies(db, reading);
  GroupLists lists{shards};
  KnownArticles known{db, lists};
  if (reading == SlotReading::kStream) known.learn_every_id_term();
  GroupWriter writer{db, lists, known};
  std::unordered_set<Xapian::docid> grouped;
  for (const auto& members : groups) {
    writer.write(members);
    grouped.insert(members.begin(), members.end());
  }
  // Groups left from before (a database grouped by an earlier run) that no longer hold.
  std::vector<Xapian::docid> stale;
  for_each_value(db, schema::kSlotGroup, reading, [&](Xapian::docid did, const std::string&) {
    if (!grouped.count(did)) stale.push_back(did);
  });
  for (const Xapian::docid did : stale) writer.write({did});
  return writer.finish(/*every_other=*/true);
}

std::uint64_t regroup_copies(std::span<Xapian::WritableDatabase> shards, const std::vector<std::string>& ids,
                             const std::vector<std::string>& groups, SlotReading reading) {
  Xapian::WritableDatabase db = joined(shards);
  GroupLists lists{shards};
  // The articles grouped afresh ("seeds"): those written, and every member of a group that
  // lost or changed an article, since such a group may have split.
  KnownArticles known{db, lists};
  std::vector<Xapian::docid> articles;
  for (const auto& id : ids) known.append_written(id, articles);
  for (const auto& group : groups) known.append_members(group, articles);
  std::sort(articles.begin(), articles.end());
  articles.erase(std::unique(articles.begin(), articles.end()), articles.end());
  std::unordered_map<Xapian::docid, std::size_t> node_of;
  for (std::size_t i = 0; i < articles.size(); ++i) node_of.emplace(articles[i], i);
  Components components{articles.size()};

  std::vector<std::optional<text::Signature>> seed_signatures(articles.size());
  SeedKeys seed_keys;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    seed_signatures[i] = text::decode_signature(
        db.get_document(articles[i], Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotSignature));
    if (!seed_signatures[i]) continue;
    for (std::size_t band = 0; band < text::kBands; ++band) {
      seed_keys.add(text::band_key(*seed_signatures[i], band), i);
    }
  }
  seed_keys.seal();

  // One pass over every signature links each article to the seeds it is a copy of. An article
  // that is not a seed keeps its group, which joins the seed's: groups are closed under copying,
  // so its other copies are already in it.
  std::vector<Xapian::docid> joined_groups_of;
  std::vector<std::size_t> compared;  // the seeds this article was compared with: a copy shares many bands
  text::BandKeys keys;
  const auto link_to_seeds = [&](Xapian::docid did, const std::string& value) {
    if (!text::stored_band_keys(value, keys)) return;
    std::optional<text::Signature> signature;  // decoded at its first candidate
    compared.clear();
    for (std::size_t band = 0; band < text::kBands; ++band) {
      for (const auto& [key, seed] : seed_keys.find(keys[band])) {
        if (articles[seed] == did || std::find(compared.begin(), compared.end(), seed) != compared.end()) continue;
        compared.push_back(seed);
        if (!signature) signature = text::decode_signature(value);
        if (!text::are_copies(*seed_signatures[seed], *signature)) continue;
        auto [node, added] = node_of.try_emplace(did, components.size());
        if (added) {
          components.add();
          articles.push_back(did);
          joined_groups_of.push_back(did);
        }
        components.join(node->second, seed);
      }
    }
  };
  // Without a key (no seed has a signature), nothing can be a copy of a seed.
  if (!seed_keys.empty()) for_each_value(db, schema::kSlotSignature, reading, link_to_seeds);
  std::unordered_set<std::string> groups_joined;
  for (const Xapian::docid did : joined_groups_of) {
    const std::string group = db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotGroup);
    if (group.empty() || !groups_joined.insert(group).second) continue;
    std::vector<Xapian::docid> members;
    known.append_members(group, members);
    for (const Xapian::docid member : members) {
      auto [node, added] = node_of.try_emplace(member, components.size());
      if (added) {
        components.add();
        articles.push_back(member);
      }
      components.join(node->second, node_of.at(did));
    }
  }
  return write_components(db, lists, known, components, articles, groups);
}

}  // namespace clippings
