/// @file database.h
/// The target database of an indexing run: opening it, pruning it, and merging the shards
/// of a bulk load into it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <xapian.h>

#include "index/shard_writer.h"
#include "slot_values.h"
#include "result.h"

namespace clippings {

/// Opens the database `target` for writing: a local path (creating it and its parent
/// directories if needed), or the "HOST:PORT" of an `xapian-tcpsrv --writable` (config.h,
/// remote_address), which creates its database itself.
Result<Xapian::WritableDatabase> open_for_writing(const std::string& target);

/// How to read a slot of every article in `targets` (slot_values.h): in sorted pages
/// when one of them is remote.
SlotReading slot_reading_for(const std::vector<std::string>& targets);

/// Deletes the articles whose source file (kSlotSource) lies under one of `roots` (a file or
/// a directory) and no longer exists, and those files' fingerprints; commits and returns how
/// many articles were deleted. The groups of copies the deleted articles were in are added to
/// `groups`, to be grouped again.
std::uint64_t prune_missing(Xapian::WritableDatabase& db,
                            const std::vector<std::filesystem::path>& roots,
                            std::vector<std::string>& groups, SlotReading reading);

/// The shard directories that bulk loads into `target` left behind when they died (their
/// process is gone): the documents each shard had committed are copied into `db` (replacing
/// by id, so none is doubled), then the directories are removed. A shard that fails Xapian's
/// consistency check is left out with a warning: its articles come back when their input is
/// indexed again. Called by every run that holds the target's write lock (`db`); returns the
/// number of documents kept.
std::uint64_t recover_stale_shards(Xapian::WritableDatabase& db, const std::filesystem::path& target);

/// A private directory beside the target for the shards of a bulk load: beside it so that
/// the merged result is renamed into place on the same file system. Removed at scope exit;
/// ones left by a run that was killed are removed when the next run starts.
class ShardDirectory {
 public:
  explicit ShardDirectory(const std::filesystem::path& target);
  ~ShardDirectory();
  ShardDirectory(const ShardDirectory&) = delete;
  ShardDirectory& operator=(const ShardDirectory&) = delete;

  std::filesystem::path shard(std::size_t n) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Compacts `target` and `shards` (all closed) into one database, sets `metadata` in it, and
/// puts it at `target`'s path with an atomic directory exchange: readers see the old or the
/// new database, never a missing or partial one.
Result<bool> merge_shards(const std::filesystem::path& target,
                          const std::vector<std::filesystem::path>& shards,
                          const std::filesystem::path& work_dir, const MetadataEntries& metadata);

}  // namespace clippings
