/// @file document.h
/// Turns an Article into the Xapian document the schema describes.
#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include <xapian.h>

#include "article.h"

namespace clippings {

/// A document ready to be written, with the words it adds to the spelling dictionary.
struct IndexedDocument {
  std::string id_term;  ///< replace_document(id_term, document) makes re-indexing idempotent
  Xapian::Document document;
  std::unordered_map<std::string, Xapian::termcount> spelling;  ///< word -> occurrences
};

/// Builds documents; holds a TermGenerator, so use one builder per thread.
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
void collect_spelling(const std::string& text, std::unordered_map<std::string, Xapian::termcount>& out);

}  // namespace clippings
