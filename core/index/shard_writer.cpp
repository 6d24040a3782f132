/// @file shard_writer.cpp
#include "index/shard_writer.h"

#include "index/near_duplicates.h"
#include "schema.h"
#include "stemming.h"

namespace clippings {

ShardWriter::ShardWriter(Xapian::WritableDatabase db, Mode mode, std::size_t batch_size)
    : db_(std::move(db)), mode_(mode), batch_size_(batch_size == 0 ? 1 : batch_size) {}

template <class Step>
bool ShardWriter::guarded(Step&& step) {
  if (failed()) return false;
  try {
    step();
    return true;
  } catch (const Xapian::Error& e) {
    error_ = e.get_description();
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  failed_.store(true, std::memory_order_release);
  return false;
}

void ShardWriter::run(BoundedQueue<DocumentBatch>& in) {
  while (auto batch = in.pop()) {
    if (!try_write(*batch)) break;
  }
  if (!try_commit(true)) in.close();
}

bool ShardWriter::try_write(DocumentBatch& batch, std::uint64_t item) {
  return guarded([&] {
    count_spelling(std::move(batch.spelling));
    for (auto& doc : batch.documents) write(std::move(doc), item);
  });
}

bool ShardWriter::try_commit(bool finish_spelling) {
  return guarded([&] { finish_spelling ? finish() : commit(); });
}

void ShardWriter::write(IndexedDocument doc, std::uint64_t item) {
  bool exists = false;
  if (mode_ == Mode::kBulk) {
    auto [it, fresh] = seen_ids_.try_emplace(doc.id_term, item);
    exists = !fresh;
    it->second = item;
  } else {
    auto previous = db_.postlist_begin(doc.id_term);
    exists = previous != db_.postlist_end(doc.id_term);
    if (exists) {
      const Xapian::Document old = db_.get_document(*previous);
      keep_indexed_time(old, doc.document);
      if (std::string group = old.get_value(schema::kSlotGroup); !group.empty()) {
        left_groups_.push_back(std::move(group));
      }
    }
    written_ids_.push_back(doc.id_term);
  }
  if (exists) {
    db_.replace_document(doc.id_term, doc.document);
    replaced_.fetch_add(1, std::memory_order_relaxed);
  } else {
    db_.add_document(doc.document);
    added_.fetch_add(1, std::memory_order_relaxed);
  }
  if (++uncommitted_ >= batch_size_) commit();
}

void ShardWriter::count_spelling(SpellingCounts counts) {
  // Summed here and added once per distinct word per commit: far fewer spelling-table updates.
  if (spelling_.empty()) {
    spelling_ = std::move(counts);
    return;
  }
  for (const auto& [word, count] : counts) spelling_[word] += count;
}

void ShardWriter::commit() {
  if (mode_ == Mode::kIncremental || spelling_.size() >= kSpellingFlushWords) {
    for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
    spelling_.clear();
  }
  record_index_languages(db_);
  if (uncommitted_ != 0) schema::mark_changed(db_);
  db_.commit();
  uncommitted_ = 0;
}

void ShardWriter::finish() {
  for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
  spelling_.clear();
  commit();
}

bool ShardWriter::try_drop_older_copies(const std::vector<const ShardWriter*>& others) {
  std::vector<std::string> older;
  for (const auto& [id, item] : seen_ids_) {
    for (const ShardWriter* other : others) {
      auto found = other->seen_ids_.find(id);
      if (found != other->seen_ids_.end() && found->second > item) {
        older.push_back(id);
        break;
      }
    }
  }
  if (older.empty()) return !failed();
  return guarded([&] {
    for (const auto& id : older) {
      db_.delete_document(id);
      // Counted as added here and again by the writer holding the newer copy.
      added_.fetch_sub(1, std::memory_order_relaxed);
      replaced_.fetch_add(1, std::memory_order_relaxed);
    }
    schema::mark_changed(db_);
    db_.commit();
  });
}

bool ShardWriter::try_add_spelling(const SpellingCounts& counts) {
  return guarded([&] {
    for (const auto& [word, count] : counts) db_.add_spelling(word, count);
    db_.commit();
  });
}

CopiesToGroup ShardWriter::copies_to_group(const std::vector<std::string>& groups) const {
  CopiesToGroup work{mode_ == Mode::kBulk, written_ids_, groups};
  work.groups.insert(work.groups.end(), left_groups_.begin(), left_groups_.end());
  return work;
}

bool ShardWriter::try_group_copies(const std::vector<std::string>& groups, SlotReading reading) {
  return guarded([&] {
    group_copies({&db_, 1}, copies_to_group(groups), reading);
    db_.commit();
  });
}

bool ShardWriter::try_set_metadata(const MetadataEntries& entries) {
  return guarded([&] {
    for (const auto& [key, value] : entries) db_.set_metadata(key, value);
    db_.commit();
  });
}

}  // namespace clippings
