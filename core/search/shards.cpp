/// @file shards.cpp
#include "search/shards.h"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace clippings::search {
namespace {

/// Whether `path` is a stub database file rather than a database directory: a regular file.
bool is_stub_file(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

Result<std::vector<std::string>> read_stub(const std::string& stub) {
  std::ifstream in{stub};
  if (!in) return Error{2, "invalid_config", fmt::format("{}: cannot read the stub database file", stub), ""};
  const std::filesystem::path folder = std::filesystem::path{stub}.parent_path();
  std::vector<std::string> paths;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    const auto space = line.find_first_of(" \t", start);
    const std::string kind = line.substr(start, space == std::string::npos ? std::string::npos : space - start);
    const auto arg_start = space == std::string::npos ? std::string::npos : line.find_first_not_of(" \t", space);
    const auto arg_end = line.find_last_not_of(" \t\r");
    const std::string arg = arg_start == std::string::npos ? "" : line.substr(arg_start, arg_end + 1 - arg_start);
    if (kind == "remote" && remote_address(arg)) {
      paths.push_back(arg);
    } else if ((kind == "auto" || kind == "glass") && !arg.empty()) {
      const std::filesystem::path path = arg;
      paths.push_back((path.is_absolute() ? path : folder / path).string());
    } else {
      return Error{2, "invalid_config",
                   fmt::format("{}:{}: expected \"auto PATH\", \"glass PATH\" (a local database) or \"remote "
                               "HOST:PORT\" (an xapian-tcpsrv), got '{}'",
                               stub, number, line.substr(start, arg_end + 1 - start)),
                   ""};
    }
  }
  if (paths.empty()) return Error{2, "invalid_config", fmt::format("{}: the stub database file lists no database", stub), ""};
  return paths;
}

}  // namespace

Result<std::vector<std::string>> shard_paths(const Config& config) {
  if (!config.shards.empty()) return config.shards;
  if (is_stub_file(config.database)) return read_stub(config.database);
  return std::vector<std::string>{config.database};
}

std::string stub_identity(const std::string& path) {
  struct stat status {};
  if (::stat((std::filesystem::path{path} / "XAPIANDB").c_str(), &status) != 0) return {};
  // xapian-replicate writes a new stub and renames it over the old one: a new inode.
  return fmt::format("{}:{}.{}", status.st_ino, status.st_mtim.tv_sec, status.st_mtim.tv_nsec);
}

ShardMetadata find_metadata(std::span<const Xapian::Database> shards, const std::string& key) {
  for (const Xapian::Database& shard : shards) {
    if (std::string value = shard.get_metadata(key); !value.empty()) return {&shard, std::move(value)};
  }
  return {};
}

void for_each_match(const Xapian::Database& db, const Xapian::Query& query, std::size_t shards, bool weighted,
                    const std::function<void(ShardDocid, double)>& each) {
  Xapian::Enquire enquire{db};
  enquire.set_query(query);
  if (!weighted) enquire.set_weighting_scheme(Xapian::BoolWeight{});
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  const Xapian::MSet matches = enquire.get_mset(0, db.get_doccount());
  for (auto it = matches.begin(); it != matches.end(); ++it) each(locate(*it, shards), it.get_weight());
}

}  // namespace clippings::search
