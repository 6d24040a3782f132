/// @file database.cpp
#include "index/database.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <system_error>

#include <spdlog/spdlog.h>

#include "config.h"
#include "index/fingerprint.h"
#include "schema.h"

namespace clippings {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kShardDirInfix = ".indexing-";
/// How long the indexer waits for a remote database (xapian-tcpsrv): to connect, and for the
/// answer to each message. A commit of a large batch takes seconds; minutes mean it is gone.
constexpr unsigned kRemoteConnectMs = 10000;
constexpr unsigned kRemoteAnswerMs = 300000;

bool under_root(const std::string& file, const std::vector<fs::path>& roots) {
  for (const auto& root : roots) {
    const std::string prefix = root.string();
    if (file == prefix) return true;
    const std::string dir = prefix.ends_with('/') ? prefix : prefix + "/";
    if (file.starts_with(dir)) return true;
  }
  return false;
}

std::string shard_dir_prefix(const fs::path& absolute_target) {
  return "." + absolute_target.filename().string() + std::string{kShardDirInfix};
}

// Shard directories of runs whose process is gone (killed): nobody else will remove them.
std::vector<fs::path> stale_shard_dirs(const fs::path& parent, const std::string& prefix) {
  std::vector<fs::path> stale;
  std::error_code ec;
  for (fs::directory_iterator it{parent, ec}, end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string pid_text = name.substr(prefix.size());
    char* rest = nullptr;
    const long pid = std::strtol(pid_text.c_str(), &rest, 10);
    if (pid <= 0 || *rest != '\0') continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) stale.push_back(it->path());
  }
  return stale;
}

void remove_stale_shard_dirs(const fs::path& parent, const std::string& prefix) {
  for (const auto& dir : stale_shard_dirs(parent, prefix)) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
}

// Copies the documents of one shard into `db`, replacing by id: the shard's committed
// revision, if it is intact. Returns how many were copied.
std::uint64_t copy_shard(Xapian::WritableDatabase& db, const fs::path& shard) {
  if (Xapian::Database::check(shard.string(), 0, nullptr) != 0) {
    throw Xapian::DatabaseCorruptError("the shard fails its consistency check");
  }
  const Xapian::Database source{shard.string()};
  std::uint64_t copied = 0;
  for (auto it = source.postlist_begin(""); it != source.postlist_end(""); ++it) {
    const Xapian::Document doc = source.get_document(*it);
    auto term = doc.termlist_begin();
    term.skip_to(std::string{schema::kPrefixId});
    if (term == doc.termlist_end() || !(*term).starts_with(schema::kPrefixId)) continue;
    db.replace_document(*term, doc);
    ++copied;
  }
  return copied;
}

// Swaps two directories atomically; falls back to two renames where the file system cannot.
Result<bool> exchange(const fs::path& a, const fs::path& b) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) {
    return Error{500, "merge_failed",
                 "cannot move the merged database into place: " + std::string{std::strerror(errno)}, {}};
  }
  const fs::path aside = a.string() + ".old";
  std::error_code ec;
  fs::rename(b, aside, ec);
  if (!ec) fs::rename(a, b, ec);
  if (!ec) fs::rename(aside, a, ec);
  if (ec) return Error{500, "merge_failed", "cannot move the merged database into place: " + ec.message(), {}};
  return true;
}

/// Whether `path` holds what Xapian leaves when a process dies while creating a glass database,
/// before its first revision file (iamglass) is written: a lock file, empty tables and the
/// revision file being written. Nothing was ever committed there, so it may be created afresh;
/// Xapian itself refuses to open it.
bool interrupted_creation(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec) || fs::exists(path / "iamglass", ec)) return false;
  bool any = false;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    const bool leftover = name == "flintlock" || name == "v.tmp" ||
                          (name.ends_with(".glass") && entry.file_size(ec) == 0);
    if (!leftover) return false;
    any = true;
  }
  return any && !ec;
}

}  // namespace

Result<Xapian::WritableDatabase> open_for_writing(const std::string& target) {
  const auto address = remote_address(target);
  try {
    if (address) {
      return Xapian::Remote::open_writable(address->host, address->port, kRemoteAnswerMs, kRemoteConnectMs);
    }
    const fs::path path{target};
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    const int action = interrupted_creation(path) ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN;
    return Xapian::WritableDatabase{path.string(), action};
  } catch (const Xapian::DatabaseLockError&) {
    return Error{500, "database_locked",
                 "cannot open the database " + target + ": another process is writing to it", {}};
  } catch (const Xapian::Error& e) {
    // A read-only xapian-tcpsrv answers "Server is read-only".
    const std::string hint = address ? " (is it served by xapian-tcpsrv --writable?)" : "";
    return Error{500, "database_unavailable",
                 "cannot open the database " + target + ": " + e.get_description() + hint, {}};
  }
}

SlotReading slot_reading_for(const std::vector<std::string>& targets) {
  const bool remote = std::any_of(targets.begin(), targets.end(),
                                  [](const std::string& target) { return remote_address(target).has_value(); });
  return remote ? SlotReading::kSortedPages : SlotReading::kStream;
}

std::uint64_t prune_missing(Xapian::WritableDatabase& db, const std::vector<fs::path>& roots,
                            std::vector<std::string>& groups, SlotReading reading) {
  std::map<std::string, bool> exists;  // each source file is checked once
  auto missing = [&](const std::string& file) {
    if (!under_root(file, roots)) return false;
    auto found = exists.find(file);
    if (found == exists.end()) {
      std::error_code ec;
      found = exists.emplace(file, fs::exists(fs::path{file}, ec)).first;
    }
    return !found->second;
  };
  std::vector<Xapian::docid> gone;
  for_each_value(db, schema::kSlotSource, reading, [&](Xapian::docid did, const std::string& file) {
    if (missing(file)) gone.push_back(did);
  });
  // Without its fingerprint, a file that comes back is indexed again.
  std::vector<std::string> forgotten;
  for (const auto& [file, fingerprint] : load_fingerprints(db)) {
    if (missing(file)) forgotten.push_back(schema::source_metadata_key(file));
  }
  for (const Xapian::docid id : gone) {
    if (std::string group = db.get_document(id).get_value(schema::kSlotGroup); !group.empty()) {
      groups.push_back(std::move(group));
    }
    db.delete_document(id);
  }
  for (const auto& key : forgotten) db.set_metadata(key, "");
  if (!gone.empty()) schema::mark_changed(db);
  db.commit();
  return gone.size();
}

std::uint64_t recover_stale_shards(Xapian::WritableDatabase& db, const fs::path& target) {
  const fs::path absolute = fs::absolute(target).lexically_normal();
  std::uint64_t recovered = 0;
  for (const auto& dir : stale_shard_dirs(absolute.parent_path(), shard_dir_prefix(absolute))) {
    std::error_code ec;
    for (fs::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
      if (!it->path().filename().string().starts_with("shard")) continue;
      try {
        const std::uint64_t copied = copy_shard(db, it->path());
        if (copied != 0) schema::mark_changed(db);
        db.commit();
        recovered += copied;
        spdlog::info("{}: {} article(s) committed by an indexing run that did not finish, "
                     "kept", it->path().string(), copied);
      } catch (const Xapian::Error& e) {
        spdlog::warn("{}: the shard of an indexing run that did not finish cannot be read, "
                     "its articles are indexed again from their input: {}",
                     it->path().string(), e.get_description());
      }
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  return recovered;
}

ShardDirectory::ShardDirectory(const fs::path& target) {
  const fs::path absolute = fs::absolute(target).lexically_normal();
  remove_stale_shard_dirs(absolute.parent_path(), shard_dir_prefix(absolute));
  path_ = absolute.parent_path() / (shard_dir_prefix(absolute) + std::to_string(::getpid()));
  std::error_code ignored;
  fs::remove_all(path_, ignored);
  fs::create_directories(path_);
}

ShardDirectory::~ShardDirectory() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

fs::path ShardDirectory::shard(std::size_t n) const { return path_ / ("shard" + std::to_string(n)); }

Result<bool> merge_shards(const fs::path& target, const std::vector<fs::path>& shards,
                          const fs::path& work_dir, const MetadataEntries& metadata) {
  const fs::path merged = work_dir / "merged";
  try {
    Xapian::Database all{target.string()};
    for (const auto& shard : shards) all.add_database(Xapian::Database{shard.string()});
    // Renumbering (the default) gives each shard's documents their own range of ids.
    all.compact(merged.string());
    // The merge keeps the target's change mark where both have one: a new one is set.
    Xapian::WritableDatabase result{merged.string(), Xapian::DB_OPEN};
    for (const auto& [key, value] : metadata) result.set_metadata(key, value);
    schema::mark_changed(result);
    result.commit();
  } catch (const Xapian::Error& e) {
    return Error{500, "merge_failed", "cannot merge the index shards: " + e.get_description(), {}};
  }
  auto swapped = exchange(merged, target);
  if (!swapped) return swapped;
  std::error_code ignored;
  fs::remove_all(merged, ignored);  // now the old target
  return true;
}

}  // namespace clippings
