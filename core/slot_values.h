/// @file slot_values.h
/// Every value of one slot in a database, read the way that suits where it is. A local
/// database streams the slot. Through xapian-tcpsrv, a stream reads each whole document in a
/// round trip (half a millisecond for a news article on loopback, so minutes a million), so a
/// remote database is asked instead for pages of a search sorted by the slot, whose items
/// carry the values as their sort keys: a page of thousands in one round trip.
#pragma once

#include <functional>
#include <string>

#include <xapian.h>

namespace clippings {

enum class SlotReading {
  kStream,       ///< Database::valuestream_begin: for local databases
  kSortedPages,  ///< searches sorted by the slot: for a database with a remote shard
};

/// Calls `each(docid, value)` for every document of `db` with a value in `slot`: in docid
/// order (kStream) or in value order, equal values in docid order (kSortedPages, with pages of
/// `page_size` values, 0 to size them to the database).
void for_each_value(const Xapian::Database& db, Xapian::valueno slot, SlotReading reading,
                    const std::function<void(Xapian::docid, const std::string&)>& each,
                    Xapian::doccount page_size = 0);

}  // namespace clippings
