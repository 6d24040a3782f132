/// @file document.h
/// Turns an Article into the Xapian document the schema describes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include <xapian.h>

#include "article.h"

namespace clippings {

/// A document ready to be written.
struct IndexedDocument {
  IndexedDocument() = default;
  IndexedDocument(const IndexedDocument&) = default;
  IndexedDocument& operator=(const IndexedDocument&) = default;
  // Xapian::Document's move does not say noexcept, though it only moves a pointer; saying it
  // here lets vectors of documents grow by moving them rather than copying them.
  IndexedDocument(IndexedDocument&&) noexcept = default;
  IndexedDocument& operator=(IndexedDocument&&) noexcept = default;

  std::string id_term;  ///< replace_document(id_term, document) makes re-indexing idempotent
  Xapian::Document document;
};

/// Word -> occurrences, for the spelling dictionary.
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;

/// Builds documents; holds a TermGenerator and stemmers that remember their words, so use one
/// builder per thread.
class DocumentBuilder {
 public:
  /// Each language's stemmer remembers up to `remembered_words` words, then starts afresh: a
  /// news corpus's vocabulary, not every token ever seen.
  explicit DocumentBuilder(std::string default_language, std::size_t remembered_words = 200000);
  ~DocumentBuilder();
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;

  /// With `count_spelling`, also counts the words of the title and text for the spelling
  /// dictionary (the words as indexed, lower-cased, of 3 to 32 bytes, with no digits or
  /// symbols) until take_spelling() takes them.
  IndexedDocument build(const Article& article, bool count_spelling = false);
  /// The time (Unix seconds) stamped in kSlotIndexed of the documents built from now on. The
  /// indexer passes it, so that building stays deterministic; until set, none is stamped.
  void set_indexed_time(std::int64_t unix_seconds) { indexed_time_ = unix_seconds; }
  /// The words counted since the last call, with their occurrences.
  SpellingCounts take_spelling();
  /// How many distinct words take_spelling() would return, at most: a bound on memory.
  std::size_t spelling_words() const;

 private:
  class RememberingStemmer;
  struct Stemmer {
    Xapian::Stem stem;          ///< owns `words`
    RememberingStemmer* words;  ///< to switch counting on and off
  };
  Stemmer& stemmer(const std::string& lang);

  std::string default_language_;
  std::optional<std::int64_t> indexed_time_;
  std::size_t remembered_words_;
  Xapian::TermGenerator generator_;
  std::map<std::string, Stemmer> stemmers_;
  SpellingCounts forgotten_;  ///< counts of words the stemmers forgot before they were taken
};

/// Re-indexing an article keeps the time it was first indexed: `doc`, about to replace
/// `previous`, takes its kSlotIndexed (or its lack of one: an article indexed before the slot
/// existed does not become new by being indexed again).
void keep_indexed_time(const Xapian::Document& previous, Xapian::Document& doc);

}  // namespace clippings
