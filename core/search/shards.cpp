/// @file shards.cpp
#include "search/shards.h"

#include <sys/stat.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>

#include <fmt/format.h>

#include "search/workers.h"

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

void FreeSignal::set() {
  {
    const std::lock_guard lock{mutex_};
    set_ = true;
  }
  changed_.notify_all();
}

void FreeSignal::nudge() {
  // Taken and let go so that a waiter cannot miss it between asking moot() and waiting.
  { const std::lock_guard lock{mutex_}; }
  changed_.notify_all();
}

bool FreeSignal::wait(const std::function<bool()>& moot) {
  std::unique_lock lock{mutex_};
  changed_.wait(lock, [&] { return set_ || moot(); });
  return set_;
}

void share_out(std::span<const Xapian::Database> shards, const SecondConnections& seconds, bool remote,
               const std::vector<std::vector<std::size_t>>& items,
               const std::function<void(const Xapian::Database&, std::size_t, std::size_t)>& ask) {
  const auto next = std::make_unique<std::atomic<std::size_t>[]>(shards.size());
  const std::size_t connections = seconds.shards.empty() ? shards.size() : 2 * shards.size();
  each_shard(connections, remote, [&](std::size_t c) {
    const std::size_t shard = c % shards.size();
    const bool second = c >= shards.size();
    const auto all_taken = [&] { return next[shard] >= items[shard].size(); };
    if (second && (items[shard].size() < 2 || (seconds.free && !seconds.free->wait(all_taken)))) return;
    const Xapian::Database& connection = second ? seconds.shards[shard] : shards[shard];
    for (std::size_t k; (k = next[shard]++) < items[shard].size();) ask(connection, shard, items[shard][k]);
    // The second may be waiting for a shard whose items are all taken now.
    if (seconds.free && !second) seconds.free->nudge();
  });
}

std::vector<char> terms_in_any(const Xapian::Database& db, std::span<const std::string> terms) {
  if (terms.empty()) return {};
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  // No match is listed: the query's statistics carry every term's frequency.
  const Xapian::MSet stats = enquire.get_mset(0, 0);
  std::vector<char> found;
  found.reserve(terms.size());
  for (const std::string& term : terms) found.push_back(stats.get_termfreq(term) > 0);
  return found;
}

ShardMetadata find_metadata(std::span<const Xapian::Database> shards, const std::string& key) {
  for (const Xapian::Database& shard : shards) {
    if (std::string value = shard.get_metadata(key); !value.empty()) return {&shard, std::move(value)};
  }
  return {};
}

void at_once(std::size_t count, const std::function<void(std::size_t)>& work) {
  std::vector<std::future<void>> others;
  std::exception_ptr failure;
  try {
    for (std::size_t i = 1; i < count; ++i) {
      auto task = std::make_shared<std::packaged_task<void()>>([&work, i] { work(i); });
      others.push_back(task->get_future());
      run_on_worker([task] { (*task)(); });
    }
    if (count > 0) work(0);
  } catch (...) {
    failure = std::current_exception();
  }
  // Every thread is waited for before anything is rethrown: they use the caller's objects.
  for (auto& other : others) {
    try {
      other.get();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

void each_shard(std::size_t count, bool remote, const std::function<void(std::size_t)>& work) {
  if (remote) return at_once(count, work);
  for (std::size_t i = 0; i < count; ++i) work(i);
}

void for_each_match(std::span<const Xapian::Database> shards, const Xapian::Query& query, bool weighted,
                    const std::function<void(ShardDocid, double)>& each) {
  // Made here, one thread: each search gets a copy of the query that shares none of its parts.
  const std::string serialised = shards.size() > 1 ? query.serialise() : std::string{};
  std::vector<Xapian::Enquire> enquires;
  enquires.reserve(shards.size());
  for (const Xapian::Database& shard : shards) {
    Xapian::Enquire& enquire = enquires.emplace_back(shard);
    enquire.set_query(shards.size() > 1 ? Xapian::Query::unserialise(serialised) : query);
    if (!weighted) enquire.set_weighting_scheme(Xapian::BoolWeight{});
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  }
  std::vector<Xapian::MSet> matches(shards.size());
  at_once(shards.size(), [&](std::size_t i) { matches[i] = enquires[i].get_mset(0, shards[i].get_doccount()); });
  for (std::size_t shard = 0; shard < shards.size(); ++shard) {
    for (auto it = matches[shard].begin(); it != matches[shard].end(); ++it) each({shard, *it}, it.get_weight());
  }
}

std::vector<Xapian::Document> documents_at(std::span<const Xapian::Database> shards, bool remote,
                                           std::span<const Xapian::docid> dids,
                                           const SecondConnections& seconds) {
  std::vector<std::vector<std::size_t>> of_shard(shards.size());
  for (std::size_t i = 0; i < dids.size(); ++i) of_shard[locate(dids[i], shards.size()).shard].push_back(i);
  std::vector<Xapian::Document> documents(dids.size());
  share_out(shards, seconds, remote, of_shard,
            [&](const Xapian::Database& connection, std::size_t, std::size_t i) {
              documents[i] = connection.get_document(locate(dids[i], shards.size()).did);
            });
  return documents;
}

}  // namespace clippings::search
