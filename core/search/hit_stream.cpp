/// @file hit_stream.cpp
#include "search/hit_stream.h"

#include "schema.h"
#include "search/copies.h"

namespace clippings {

HitStream::HitStream(std::vector<Xapian::MSet> msets, Xapian::doccount total, search::LanguageTerms terms,
                     search::Highlighter& highlighter, std::size_t snippet_length,
                     std::vector<Xapian::Database> shards, std::vector<std::string> missing_shards)
    : msets_(std::move(msets)), total_(total), terms_(std::move(terms)), highlighter_(&highlighter),
      snippet_length_(snippet_length), shards_(std::move(shards)), missing_shards_(std::move(missing_shards)) {
  if (msets_.empty()) msets_.emplace_back();
  at_ = msets_.front().begin();
  for (const auto& mset : msets_) size_ += mset.size();
}

bool HitStream::next(StreamedHit& hit) {
  while (at_ == msets_[mset_].end()) {
    if (mset_ + 1 == msets_.size()) return false;
    at_ = msets_[++mset_].begin();
  }
  const Xapian::Document doc = at_.get_document();
  hit.article = from_stored_data(doc.get_data());
  hit.score = at_.get_weight();
  const std::string& lang = hit.article.lang;
  const search::QueryTerms& terms = terms_.of(lang);
  hit.title_html = highlighter_->highlight(hit.article.title, terms.title, lang);
  hit.snippet_html =
      snippet_length_ ? highlighter_->snippet(hit.article.text, terms.body, snippet_length_, lang)
                      : "";
  hit.indexed = schema::iso_from_indexed_value(doc.get_value(schema::kSlotIndexed));
  hit.group = doc.get_value(schema::kSlotGroup);
  hit.copies = search::copy_count(shards_, hit.group);
  if (hit.group.empty()) hit.group = hit.article.id;
  ++at_;
  return true;
}

}  // namespace clippings
