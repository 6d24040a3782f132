/// @file slot_values.cpp
#include "slot_values.h"

#include <algorithm>

namespace clippings {
namespace {

/// Each page is a search that reads the slot of every document from its first value on: at
/// most this many pages keeps a database read a bounded number of times over.
constexpr Xapian::doccount kMaxPages = 16;
/// The least a page carries: a page of signatures (244 bytes each) is about 5 MB.
constexpr Xapian::doccount kMinPageSize = 20000;

void for_each_value_in_pages(const Xapian::Database& db, Xapian::valueno slot,
                             const std::function<void(Xapian::docid, const std::string&)>& each,
                             Xapian::doccount page_size) {
  Xapian::Enquire enquire{db};
  enquire.set_weighting_scheme(Xapian::BoolWeight{});
  enquire.set_sort_by_value(slot, /*reverse=*/false);  // ascending; equal values in docid order
  // Each page starts at the last value of the one before (`from`), past the documents with
  // that value it gave already (`skip`): values may repeat (copies share a signature). A
  // document without a value has "" for Xapian; every value is at least "\0".
  std::string from(1, '\0');
  Xapian::doccount skip = 0;
  while (true) {
    enquire.set_query(Xapian::Query{Xapian::Query::OP_VALUE_GE, slot, from});
    const Xapian::MSet page = enquire.get_mset(skip, page_size);
    std::string last = from;
    Xapian::doccount with_last = skip;
    for (auto it = page.begin(); it != page.end(); ++it) {
      const std::string value = it.get_sort_key();
      each(*it, value);
      if (value != last) {
        last = value;
        with_last = 0;
      }
      ++with_last;
    }
    if (page.size() < page_size) return;
    from = std::move(last);
    skip = with_last;
  }
}

}  // namespace

void for_each_value(const Xapian::Database& db, Xapian::valueno slot, SlotReading reading,
                    const std::function<void(Xapian::docid, const std::string&)>& each,
                    Xapian::doccount page_size) {
  if (reading == SlotReading::kSortedPages) {
    if (page_size == 0) page_size = std::max(kMinPageSize, db.get_doccount() / kMaxPages + 1);
    for_each_value_in_pages(db, slot, each, page_size);
    return;
  }
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) each(it.get_docid(), *it);
}

}  // namespace clippings
