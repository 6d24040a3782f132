/// @file pipeline.h
/// What flows between the stages of the indexer: the reader's WorkItems, and what parsing
/// makes of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "document.h"
#include "index/shard_layout.h"
#include "ingest/ingest.h"

namespace clippings {

/// Input that could not be indexed: where, why, and the kind of reason.
struct Rejection {
  std::string file;       ///< the input's path as given or walked; "-" for stdin
  std::size_t line = 0;   ///< 1-based line of a JSON Lines record or catalog row; 0: the file
  std::string code;       ///< the kind of reason ("invalid_json", "empty_file", ...)
  std::string reason;     ///< what a reader is told
  bool warning = false;   ///< the input was indexed all the same; this was wrong with it

  /// "file:line" or "file".
  std::string location() const { return line == 0 ? file : file + ":" + std::to_string(line); }
};

/// One unit of parse work, numbered so that results are written in input order (the last of
/// several articles with one id wins, as it would reading one at a time).
struct WorkItem {
  enum class Kind { kFile, kLines, kRejection };
  std::uint64_t seq = 0;
  Kind kind = Kind::kFile;
  InputFormat format = InputFormat::kText;  ///< for kFile: kText or kHtml
  Origin origin;            ///< for kLines: origin.line is the number of the first line
  std::string content;      ///< a whole file, or complete lines ending in '\n'
  std::optional<Metadata> catalog_row;
  Rejection rejection;      ///< for kRejection: found by the reader (unreadable, too large)
};

/// One article's outcome.
using BuiltEntry = std::variant<IndexedDocument, Rejection>;

/// The outcome of one WorkItem.
struct BuiltItem {
  std::uint64_t seq = 0;
  std::uint64_t input_bytes = 0;  ///< size of the WorkItem's content, for progress
  std::vector<BuiltEntry> entries;
  SpellingCounts spelling;  ///< the words of its documents, unless the ItemBuilder keeps them
};

/// Turns one WorkItem into documents; one per parse thread (it owns a DocumentBuilder).
class ItemBuilder {
 public:
  /// The words for the spelling dictionary go with each BuiltItem (`spelling_per_item`), or
  /// are kept until take_spelling(): one count for a whole run, added once.
  ItemBuilder(const Extractor& extractor, const std::string& default_language,
              bool spelling_per_item = true)
      : extractor_(extractor), builder_(default_language), spelling_per_item_(spelling_per_item) {}
  BuiltItem build(WorkItem item);
  /// Keeps only what belongs to one shard of an index written into shards: the articles its
  /// id places there, and the rejections their location does (the run into each shard reads
  /// all the input, and each rejection is told once).
  void keep_only(const ShardPlace& place) { place_ = place; }
  /// The spelling words kept so far (see DocumentBuilder::take_spelling).
  SpellingCounts take_spelling() { return builder_.take_spelling(); }
  std::size_t spelling_words() const { return builder_.spelling_words(); }

 private:
  void add(BuiltItem& out, Result<Article> article, const Origin& origin);
  void reject(BuiltItem& out, Rejection rejection) const;
  void build_lines(BuiltItem& out, const WorkItem& item);

  const Extractor& extractor_;
  DocumentBuilder builder_;
  bool spelling_per_item_;
  ShardPlace place_;
};

}  // namespace clippings
