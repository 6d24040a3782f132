/// @file document.h
/// Turns an Article into the Xapian document the schema describes.
#pragma once

#include <map>
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
  explicit DocumentBuilder(std::string default_language);
  ~DocumentBuilder();
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;

  /// With `spelling`, also adds the words of the title and text for the spelling dictionary:
  /// the words as indexed, lower-cased, of 3 to 32 bytes, with no digits or symbols.
  IndexedDocument build(const Article& article, SpellingCounts* spelling = nullptr);

 private:
  class RememberingStemmer;
  struct Stemmer {
    Xapian::Stem stem;          ///< owns `words`
    RememberingStemmer* words;  ///< to switch counting on and off
  };
  Stemmer& stemmer(const std::string& lang);

  std::string default_language_;
  Xapian::TermGenerator generator_;
  std::map<std::string, Stemmer> stemmers_;
};

}  // namespace clippings
