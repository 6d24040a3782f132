/// @file shard_writer.cpp
#include "index/shard_writer.h"

namespace clippings {

namespace {
/// Distinct words a bulk writer holds before adding them (about 100 bytes each).
constexpr std::size_t kSpellingFlushWords = 500000;
}  // namespace

ShardWriter::ShardWriter(Xapian::WritableDatabase db, Mode mode, std::size_t batch_size)
    : db_(std::move(db)), mode_(mode), batch_size_(batch_size == 0 ? 1 : batch_size) {}

void ShardWriter::run(BoundedQueue<DocumentBatch>& in, bool finish_spelling) {
  try {
    while (auto batch = in.pop()) {
      for (auto& doc : *batch) write(std::move(doc));
    }
    if (finish_spelling) {
      finish();
    } else {
      commit();
    }
  } catch (const Xapian::Error& e) {
    error_ = e.get_description();
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  if (!error_.empty()) {
    failed_.store(true, std::memory_order_release);
    in.close();
  }
}

void ShardWriter::write(IndexedDocument doc) {
  bool exists = false;
  if (mode_ == Mode::kBulk) {
    exists = !seen_ids_.insert(doc.id_term).second;
  } else {
    exists = db_.term_exists(doc.id_term);
  }
  if (exists) {
    db_.replace_document(doc.id_term, doc.document);
    replaced_.fetch_add(1, std::memory_order_relaxed);
  } else {
    db_.add_document(doc.document);
    added_.fetch_add(1, std::memory_order_relaxed);
  }
  // Summed here and added once per distinct word per batch: far fewer spelling-table updates.
  for (const auto& [word, count] : doc.spelling) spelling_[word] += count;
  if (++uncommitted_ >= batch_size_) commit();
}

void ShardWriter::commit() {
  if (mode_ == Mode::kIncremental || spelling_.size() >= kSpellingFlushWords) {
    for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
    spelling_.clear();
  }
  db_.commit();
  uncommitted_ = 0;
}

void ShardWriter::finish() {
  for (const auto& [word, count] : spelling_) db_.add_spelling(word, count);
  spelling_.clear();
  db_.commit();
  uncommitted_ = 0;
}

}  // namespace clippings

namespace clippings {

bool ShardWriter::add_spelling(const SpellingCounts& counts) {
  try {
    for (const auto& [word, count] : counts) db_.add_spelling(word, count);
    db_.commit();
  } catch (const Xapian::Error& e) {
    error_ = e.get_description();
    failed_.store(true, std::memory_order_release);
  }
  return !failed();
}

}  // namespace clippings
