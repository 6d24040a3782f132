/// @file shard_layout.cpp
#include "index/shard_layout.h"

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "schema.h"

namespace clippings {
namespace {

/// How a place is recorded and told: "2/3" is the second of three shards.
std::string place_text(const ShardPlace& place) { return fmt::format("{}/{}", place.index + 1, place.count); }

Error refused(const std::filesystem::path& path, const std::string& why) {
  return Error{400, "invalid_config", "cannot index into " + path.string() + ": " + why, "shards"};
}

}  // namespace

bool ShardPlace::holds(std::string_view id) const { return !sharded() || shard_of(id, count) == index; }

Result<bool> check_shard_place(const Xapian::Database& db, const std::filesystem::path& path,
                               const ShardPlace& place) {
  try {
    const std::string recorded = db.get_metadata(std::string{schema::kMetaShard});
    const std::string given = place.sharded() ? place_text(place) : "";
    if (recorded == given || db.get_doccount() == 0) return true;
    if (!place.sharded()) {
      return refused(path, "it is shard " + recorded + " of an index written into shards; index with all of them, "
                                                       "in the same order (`shards:` or --shard)");
    }
    if (!recorded.empty()) {
      return refused(path, "it was written as shard " + recorded + ", and is given now as shard " + given +
                               "; give the same shards in the same order");
    }
    return refused(path, "it holds articles indexed on its own, not placed by their id; index into new, empty "
                         "shards (or give it alone with --db)");
  } catch (const Xapian::Error& e) {
    return Error{500, "database_unavailable", "cannot read " + path.string() + ": " + e.get_description(), {}};
  }
}

Result<bool> claim_shard_place(Xapian::WritableDatabase& db, const std::filesystem::path& path,
                               const ShardPlace& place) {
  auto checked = check_shard_place(db, path, place);
  if (!checked) return checked;
  try {
    const std::string given = place.sharded() ? place_text(place) : "";
    if (db.get_metadata(std::string{schema::kMetaShard}) == given) return true;
    db.set_metadata(std::string{schema::kMetaShard}, given);
    db.commit();
    return true;
  } catch (const Xapian::Error& e) {
    return Error{500, "write_failed", "cannot write to " + path.string() + ": " + e.get_description(), {}};
  }
}

}  // namespace clippings
