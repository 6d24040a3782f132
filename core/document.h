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
  IndexedDocument build(const Article& article);

 private:
  const Xapian::Stem& stemmer(const std::string& lang);

  std::string default_language_;
  Xapian::TermGenerator generator_;
  std::map<std::string, Xapian::Stem> stemmers_;
};

/// Words for the spelling dictionary: lower-cased alphabetic words of 3 to 32 bytes.
void collect_spelling(std::string_view text, SpellingCounts& out);
/// The words of an article's title and text, as above.
void collect_spelling(const Article& article, SpellingCounts& out);

}  // namespace clippings
