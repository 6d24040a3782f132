/// @file fingerprint.h
/// What a source file was when it was indexed, so that later runs skip it while it is unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <xapian.h>

#include "config.h"

struct XXH3_state_s;  // xxhash.h's hashing state

namespace clippings {

/// A source file as indexed: its size and modification time (compared without reading the
/// file), a hash of its bytes (compared when the time differs: a copy, a touch, a restore),
/// and a hash of everything else its articles depend on (see extraction_settings).
struct Fingerprint {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  ///< modification time, nanoseconds since the epoch
  std::int64_t read_ns = 0;   ///< wall time when reading began
  std::string content_hash;   ///< XXH3-128 of the bytes, 32 hex digits
  std::string settings_hash;  ///< XXH3-64 of the settings, catalog row and path, 16 hex digits

  /// Whether a file of this size and modification time is this one without reading it. Not
  /// when it was modified within a few seconds before it was read: a change right after the
  /// read could have kept the same time stamp (file systems count time in ticks).
  bool same_by_stat(std::uint64_t file_size, std::int64_t file_mtime_ns) const;
};

/// The stored value: "1", size, mtime, read time, content hash, settings hash and the path,
/// separated by tabs (the path last, so that it may hold tabs).
std::string encode_fingerprint(const Fingerprint& fingerprint, std::string_view path);
/// Inverse of encode_fingerprint: the path and the fingerprint; nullopt for another format.
std::optional<std::pair<std::string, Fingerprint>> decode_fingerprint(std::string_view value);

/// Fingerprints by absolute source path.
using Fingerprints = std::unordered_map<std::string, Fingerprint>;
/// Every fingerprint stored in `db` (its metadata under schema::kMetadataSourcePrefix).
Fingerprints load_fingerprints(const Xapian::Database& db);

/// What, besides a file's bytes, decides the articles made from it: the extraction settings
/// (language, outlets, boilerplate rules, field names), the indexing scheme
/// (schema::kIndexScheme) and the program's version. A change to any of them makes every file
/// read again.
std::string extraction_settings(const Config& config);

/// XXH3-64 of `text` as 16 hex digits.
std::string settings_digest(std::string_view text);

/// XXH3-128 of bytes fed in pieces, as 32 hex digits.
class ContentHash {
 public:
  ContentHash();
  ~ContentHash();
  ContentHash(const ContentHash&) = delete;
  ContentHash& operator=(const ContentHash&) = delete;

  void update(std::string_view bytes);
  std::string hex() const;

 private:
  XXH3_state_s* state_;
};

/// The ContentHash of the file open at `fd`, read from its start; nullopt when reading fails.
std::optional<std::string> hash_file(int fd);

}  // namespace clippings
