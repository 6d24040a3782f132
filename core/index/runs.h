/// @file runs.h
/// The runs behind run_indexer (indexer.h): one into one database (indexer.cpp), and one
/// into each shard of an index at once (shard_runs.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "config.h"
#include "index/indexer.h"
#include "index/near_duplicates.h"
#include "index/rejections.h"
#include "index/shard_writer.h"
#include "result.h"

namespace clippings {

/// What a run into one shard of an index leaves until the runs into all have ended: copies may
/// be in other shards, so they are grouped across all of them, and only then are the
/// fingerprints of the files read written.
struct LeftToFinish {
  CopiesToGroup copies;
  MetadataEntries fingerprints;
};

/// Articles written, counted by several runs at once.
using ArticleCount = std::atomic<std::uint64_t>;

/// The threads a run uses: indexer.threads, else one per core.
std::size_t thread_count(const Config& config);

/// Indexes `options.sources` into `config.database`. With `left`, a run into one shard of an
/// index (options.place), which leaves grouping the copies and writing the fingerprints to the
/// caller, and adds the articles it writes to `written_by_all`, which its progress shows.
Result<IndexStats> run_database(const Config& config, const IndexOptions& options, const std::atomic<bool>& stop,
                                RejectionReport& report, LeftToFinish* left = nullptr,
                                ArticleCount* written_by_all = nullptr);

/// Indexes `options.sources` into every shard of `config.shards` at once, each article into
/// the one its id places it in (index/shard_layout.h).
Result<IndexStats> run_into_shards(const Config& config, const IndexOptions& options, const std::atomic<bool>& stop,
                                   RejectionReport& report);

}  // namespace clippings
