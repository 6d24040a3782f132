/// @file article.h
/// The article model: what every reader produces and what the index stores.
#pragma once

#include <string>
#include <vector>

namespace clippings {

/// One news article after ingest: metadata plus cleaned body text.
/// Empty strings mean "not known" (an undated article has date == "").
struct Article {
  std::string id;      ///< stable identity: from the input, else normalised URL, else relative path
  std::string title;
  std::string outlet;  ///< display name, e.g. "The Moscow Times"
  std::string date;    ///< "YYYY-MM-DD" or empty
  std::string url;
  std::string author;
  std::string lang;    ///< ISO 639-1 code used for stemming, e.g. "en"
  std::string text;    ///< body with boilerplate removed; paragraphs separated by "\n\n"
  std::string source;  ///< where it came from: "path" or "path:line"; "-:line" for stdin
  std::string source_file;  ///< absolute path of the source file; empty for stdin
  /// What was wrong with the input but did not stop it being indexed (a date that is not a
  /// date, ignored): for the indexer's log, not stored.
  std::vector<std::string> warnings;
};

/// The document data stored in the index: each field above in order as its byte length (7 bits
/// a byte, low first, high bit for "more") and its bytes, as one zstd frame after a format
/// byte (2); a short article, which a frame would not shrink, is the fields after a 1. Reading
/// it costs a copy per field, where the JSON object stored before cost a parse of every byte.
std::string to_stored_data(const Article& article);
/// Inverse of to_stored_data; also reads the JSON object of older databases. Throws
/// std::runtime_error (nlohmann::json::exception for old data) when the data is corrupt.
Article from_stored_data(const std::string& data);

}  // namespace clippings
