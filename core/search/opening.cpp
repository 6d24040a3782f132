/// @file opening.cpp
/// Which databases a Searcher reads and at which revision: the one database or its shards
/// (search/shards.h), opened, reopened per request to see new commits, followed to a
/// replica's new copy, and left out while down when server.partial_results allows.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <future>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "search/searcher_state.h"
#include "search/shards.h"

namespace clippings {

namespace {

/// How long a remote shard may take to answer one request, and to accept a connection (one
/// that is down is told quickly): past either, Xapian::NetworkTimeoutError.
constexpr unsigned kRemoteTimeoutMs = 10000;
constexpr unsigned kRemoteConnectTimeoutMs = 2000;

/// How many times a remote shard's two connections are reopened to bring them to one commit
/// (a commit may land between the two reopenings) before its counting connection is left out.
constexpr int kMatchingAttempts = 3;

/// Runs `open`; why the database named `where` is unusable if it throws, else nothing.
std::optional<std::string> open_failure(const std::string& where, const std::function<void()>& open) {
  try {
    open();
  } catch (const Xapian::DatabaseNotFoundError&) {
    return fmt::format("no database at {}: run clippings-indexer first", where);
  } catch (const Xapian::DatabaseError& e) {
    // Also a database replaced underneath an open handle: start afresh next time.
    return fmt::format("cannot open the database at {}: {}", where, e.get_msg());
  } catch (const Xapian::NetworkError& e) {
    return fmt::format("cannot reach {}: {}", where, e.get_msg());
  }
  return std::nullopt;
}

/// Throws Xapian::DatabaseNotFoundError when nothing is at `path`.
void check_exists(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Xapian::DatabaseNotFoundError(path);
}

}  // namespace

bool Searcher::State::open() {
  if (!paths) {
    auto read = search::shard_paths(config);
    if (!read) {
      reason = read.error().message;
      return false;
    }
    paths = std::move(*read);
    remote = std::any_of(paths->begin(), paths->end(), [](const auto& path) { return remote_address(path); });
  }
  auto failure = paths->size() > 1 || remote ? open_shards() : open_failure(paths->front(), [this] { open_single(); });
  if (failure) {
    reason = std::move(*failure);
    close();
    return false;
  }
  if (auto spelling_failure = open_spelling()) {
    reason = std::move(*spelling_failure);
    close();
    return false;
  }
  if (db->get_doccount() == 0) {
    reason = paths->size() == 1 ? fmt::format("the database at {} is empty", paths->front())
                                : fmt::format("the shards ({}) are empty", fmt::join(*paths, ", "));
    return false;
  }
  // Reads metadata: a remote shard may fail here too.
  if (auto failure = open_failure(fmt::format("{}", fmt::join(*paths, ", ")), [this] { read_languages(); })) {
    reason = std::move(*failure);
    close();
    return false;
  }
  reason.clear();
  return true;
}

std::optional<std::string> Searcher::State::open_spelling() {
  if (config.spelling.empty()) return std::nullopt;
  return open_failure(fmt::format("{} (a spelling dictionary)", fmt::join(config.spelling, ", ")), [this] {
    if (spelling) {
      spelling->reopen();
      return;
    }
    Xapian::Database joined;
    for (const auto& path : config.spelling) {
      check_exists(path);
      joined.add_database(Xapian::Database{path});
    }
    spelling = std::move(joined);
  });
}

void Searcher::State::open_single() {
  if (db) return advance();
  check_exists(paths->front());
  db.emplace(paths->front());
  // When another Searcher is reading this revision's columns, the first search that needs
  // them waits (run_search): there is no older revision to search meanwhile. Lookups and
  // stats never need them.
  columns = facet_columns->get_unless_busy(*db);
}

std::optional<std::string> Searcher::State::open_shards() {
  shard_handles.resize(paths->size());
  counting_handles.resize(paths->size());
  shard_revisions_held.resize(paths->size());
  shard_stubs.resize(paths->size());
  shard_down.resize(paths->size());
  struct Opening {
    bool was_up = false;
    bool renewed = false;
    std::optional<std::string> failure;
    double seconds = 0;
  };
  std::vector<Opening> openings(paths->size());
  search::each_shard(paths->size(), remote, [&](std::size_t i) {
    Opening& opening = openings[i];
    opening.was_up = shard_handles[i].has_value();
    const auto started = SearchClock::now();
    opening.failure = open_failure((*paths)[i] + " (a shard)", [&] { opening.renewed = refresh_shard(i); });
    opening.seconds = std::chrono::duration<double>(SearchClock::now() - started).count();
  });
  bool changed = !db;
  for (std::size_t i = 0; i < paths->size(); ++i) {
    const auto& [was_up, renewed, failure, seconds] = openings[i];
    if (observer && failure) observer->shard_failed((*paths)[i]);
    if (observer && !failure) observer->shard_opened((*paths)[i], seconds);
    if (failure && !config.server.partial_results) return failure;
    if (failure) shard_handles[i].reset();
    shard_down[i] = failure.value_or("");
    changed = changed || renewed || was_up != shard_handles[i].has_value();
  }
  if (std::none_of(shard_handles.begin(), shard_handles.end(), [](const auto& h) { return h.has_value(); })) {
    return fmt::format("no shard can be searched: {}", fmt::join(shard_down, "; "));
  }
  if (changed) join_shards();
  gather_shard_revisions();
  return open_failure(fmt::format("{}", fmt::join(*paths, ", ")), [this] { read_shard_columns(); });
}

bool Searcher::State::open_shard(std::size_t i) {
  const std::string& path = (*paths)[i];
  if (const auto address = remote_address(path)) {
    if (shard_handles[i] && counting_handles[i]) {
      try {
        if (reopen_twins(i)) shard_revisions_held[i].clear();
        return false;
      } catch (const Xapian::NetworkError&) {
        // A connection is gone (the shard's idle timeout, or a restart): connect anew.
      }
    }
    search::at_once(2, [&](std::size_t which) {
      (which == 0 ? shard_handles[i] : counting_handles[i])
          .emplace(Xapian::Remote::open(address->host, address->port, kRemoteTimeoutMs, kRemoteConnectTimeoutMs));
    });
    shard_revisions_held[i].clear();
    return true;
  }
  check_exists(path);  // a shard taken away is down, whatever its open handle still reads
  std::string stub = search::stub_identity(path);
  // Beside remote shards, a local one is counted beside the ranked pass too: on a twin handle.
  if (shard_handles[i] && stub == shard_stubs[i] && (counting_handles[i] || !remote)) {
    if (reopen_twins(i)) shard_revisions_held[i].clear();
    return false;
  }
  shard_handles[i].emplace(path);  // first, back up, or a replica's new copy
  if (remote) counting_handles[i].emplace(path);
  shard_stubs[i] = std::move(stub);
  shard_revisions_held[i].clear();
  return true;
}

bool Searcher::State::refresh_shard(std::size_t i) {
  const bool renewed = open_shard(i);
  // In the same thread as the reopening: over a remote shard the change mark is a round trip.
  if (shard_revisions_held[i].empty()) return read_revision(i) || renewed;
  return renewed;
}

void Searcher::State::on_twins(std::size_t i, const std::function<void(Xapian::Database&, std::size_t)>& work) {
  // Two local handles read a file each, in less time than a thread takes to start.
  search::each_shard(2, remote_address((*paths)[i]).has_value(), [&](std::size_t which) {
    work(*(which == 0 ? shard_handles[i] : counting_handles[i]), which);
  });
}

bool Searcher::State::reopen_twins(std::size_t i) {
  if (!counting_handles[i]) return shard_handles[i]->reopen();
  bool moved[2] = {false, false};
  on_twins(i, [&](Xapian::Database& handle, std::size_t which) { moved[which] = handle.reopen(); });
  return moved[0] || moved[1];
}

void Searcher::State::join_shards() {
  shards.clear();
  counting_shards.clear();
  shard_remote.clear();
  // The joined handle shares each shard's: reopening a shard moves both.
  db.emplace();
  for (std::size_t i = 0; i < paths->size(); ++i) {
    if (!shard_handles[i]) continue;
    shards.push_back(*shard_handles[i]);
    if (counting_handles[i]) counting_shards.push_back(*counting_handles[i]);
    shard_remote.push_back(remote_address((*paths)[i]).has_value());
    db->add_database(*shard_handles[i]);
  }
  if (counting_shards.size() != shards.size()) counting_shards.clear();  // a local shard, or one left out
  shard_columns_key.clear();  // the columns are by position among the shards searched
  languages_key.clear();      // the query parser looks word forms up through the old handles
}

void Searcher::State::report_broken(const Xapian::NetworkError& error) {
  if (!observer) return;
  // Xapian's context for a remote database: "remote:tcp(HOST:PORT)", as it was given.
  for (const auto& path : *paths) {
    if (error.get_context() == "remote:tcp(" + path + ")") observer->shard_failed(path);
  }
}

std::vector<std::string> Searcher::State::missing_shards() const {
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < shard_down.size(); ++i) {
    if (!shard_down[i].empty()) missing.push_back((*paths)[i]);
  }
  return missing;
}

bool Searcher::State::read_revision(std::size_t i) {
  const bool served = remote_address((*paths)[i]).has_value();
  if (!counting_handles[i]) {
    shard_revisions_held[i] = search::revision_of(*shard_handles[i], served);
    return false;
  }
  for (int attempt = 1;; ++attempt) {
    std::string revisions[2];
    on_twins(i, [&](Xapian::Database& handle, std::size_t which) { revisions[which] = search::revision_of(handle, served); });
    shard_revisions_held[i] = std::move(revisions[0]);
    if (shard_revisions_held[i] == revisions[1]) return false;
    if (attempt == kMatchingAttempts) {
      // Commits keep landing between the two: searches count on the shard's handle until the
      // counting connection is made anew (by the next request).
      counting_handles[i].reset();
      return true;
    }
    reopen_twins(i);  // a commit landed between the two reopenings
  }
}

void Searcher::State::gather_shard_revisions() {
  shard_revisions.clear();
  for (std::size_t i = 0; i < shard_handles.size(); ++i) {
    if (shard_handles[i]) shard_revisions.push_back(shard_revisions_held[i]);
  }
}

void Searcher::State::read_shard_columns() {
  std::string key = revision_key();
  if (key == shard_columns_key) return;
  // Through xapian-tcpsrv the columns come in sorted pages (slot_values.h), seconds for a
  // shard of a million: each remote shard's are read at once, on its own connection, and the
  // other Searchers count without them meanwhile, as they cannot without a local shard's
  // (they have no older revision open to search).
  std::vector<std::future<std::shared_ptr<const search::FacetColumns>>> remote_reads(shards.size());
  for (std::size_t i = 0; i < shards.size(); ++i) {
    if (!shard_remote[i]) continue;
    remote_reads[i] = std::async(std::launch::async, [this, i] {
      return facet_columns->get_unless_busy(shards[i], shard_revisions[i], SlotReading::kSortedPages);
    });
  }
  shard_columns.clear();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    shard_columns.push_back(shard_remote[i] ? remote_reads[i].get() : facet_columns->get(shards[i]));
  }
  if (!columns_complete()) return;
  spanning_groups = facet_columns->spanning(shard_columns);
  shard_columns_key = std::move(key);
}

std::vector<search::DayFilterPart> Searcher::State::day_filter_parts(
    const std::shared_ptr<const search::FacetColumns>& single) const {
  if (!sharded()) {
    if (!single) return {};
    return {{"", single}};  // one part: its uuid is not looked at
  }
  if (remote || !columns_complete()) return {};
  std::vector<search::DayFilterPart> parts;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    std::string uuid = shards[i].get_uuid();
    if (std::any_of(parts.begin(), parts.end(), [&uuid](const auto& part) { return part.uuid == uuid; })) return {};
    parts.push_back({std::move(uuid), shard_columns[i]});
  }
  return parts;
}

bool Searcher::State::columns_complete() const {
  return shard_columns.size() == shards.size() &&
         std::all_of(shard_columns.begin(), shard_columns.end(), [](const auto& columns) { return columns != nullptr; });
}

std::string Searcher::State::revision_key() const {
  if (!sharded()) return search::revision_of(*db) + ";";
  return fmt::format("{};", fmt::join(shard_revisions, ";"));
}

void Searcher::State::advance() {
  std::string stub = search::stub_identity(paths->front());
  const bool new_copy = stub != latest_stub;  // a replica switched to a new full copy
  if (latest && !new_copy) {
    latest->reopen();
  } else {
    latest.emplace(paths->front());
    latest_stub = std::move(stub);
  }
  if (latest->get_revision() == db->get_revision() && latest->get_uuid() == db->get_uuid()) return;
  auto next = facet_columns->get_unless_busy(*latest);
  if (!next) return;  // another search reads them: this one keeps its snapshot
  std::swap(db, latest);
  columns = std::move(next);
  // The handle swapped out reads the old copy, which xapian-replicate deletes: not reopened.
  if (new_copy) latest.reset();
  // open() then reads the new revision's languages and rebuilds the parser for it.
}

void Searcher::State::catch_up() {
  if (sharded()) {
    std::vector<char> renewed(shard_handles.size());
    search::each_shard(shard_handles.size(), remote, [&](std::size_t i) {
      if (shard_handles[i]) renewed[i] = refresh_shard(i);
    });
    if (std::find(renewed.begin(), renewed.end(), 1) != renewed.end()) join_shards();
    gather_shard_revisions();
    read_shard_columns();
  } else {
    db->reopen();
    columns = facet_columns->get(*db);
  }
  read_languages();
}

void Searcher::State::close() {
  queries.reset();
  spelling.reset();
  columns.reset();
  latest.reset();
  db.reset();
  shards.clear();
  shard_handles.clear();
  counting_handles.clear();
  counting_shards.clear();
  shard_revisions_held.clear();
  shard_stubs.clear();
  shard_down.clear();
  shard_remote.clear();
  shard_revisions.clear();
  shard_columns.clear();
  spanning_groups = search::SpanningGroups::none();
  shard_columns_key.clear();
  copies_key.clear();
}

void Searcher::State::read_languages() {
  std::string key = revision_key();
  if (queries && key == languages_key) return;
  IndexLanguages read = read_index_languages(parts(), config.language);
  if (!highlighter || read.stemmers != languages.stemmers || read.scheme != languages.scheme) {
    highlighter = std::make_unique<search::Highlighter>(read);
  }
  languages = std::move(read);
  // Rebuilt for every revision: which word forms the index has may have changed too.
  queries = std::make_unique<search::QueryBuilder>(*db, languages, config.server, spelling ? &*spelling : nullptr,
                                                   remote);
  languages_key = std::move(key);
}

}  // namespace clippings
