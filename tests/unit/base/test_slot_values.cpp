/// @file test_slot_values.cpp
/// Reading every value of a slot in sorted pages gives what the slot's stream gives: each
/// document with a value once, equal values across pages included.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "slot_values.h"

namespace clippings {
namespace {

constexpr Xapian::valueno kSlot = 7;

/// 60 documents: 21 sharing one value, 12 another, 18 of their own, and every tenth without.
Xapian::WritableDatabase documents_with_values() {
  Xapian::WritableDatabase db{std::string{}, Xapian::DB_BACKEND_INMEMORY};
  for (int i = 0; i < 60; ++i) {
    Xapian::Document doc;
    if (i % 10 != 0) {
      const std::string value = i % 3 == 0 ? "b" : i % 3 == 1 ? std::string{"a\0", 2} : "c" + std::to_string(i);
      doc.add_value(kSlot, value);
    }
    db.add_document(doc);
  }
  return db;
}

std::vector<std::pair<Xapian::docid, std::string>> read(const Xapian::Database& db, SlotReading reading,
                                                        Xapian::doccount page_size) {
  std::vector<std::pair<Xapian::docid, std::string>> read;
  for_each_value(db, kSlot, reading, [&read](Xapian::docid did, const std::string& value) {
    read.emplace_back(did, value);
  }, page_size);
  return read;
}

TEST_CASE("a slot read in sorted pages gives each value once, in value order, as its stream has them") {
  const Xapian::WritableDatabase db = documents_with_values();
  const auto streamed = read(db, SlotReading::kStream, 0);
  REQUIRE(streamed.size() == 54);
  const std::map<Xapian::docid, std::string> expected(streamed.begin(), streamed.end());
  // Pages smaller than a run of equal values, ending inside runs, and one page for all (0:
  // sized to the database).
  for (const Xapian::doccount page_size : {1U, 5U, 7U, 12U, 54U, 0U}) {
    CAPTURE(page_size);
    const auto paged = read(db, SlotReading::kSortedPages, page_size);
    CHECK(paged.size() == streamed.size());
    CHECK(std::map<Xapian::docid, std::string>(paged.begin(), paged.end()) == expected);
    CHECK(std::is_sorted(paged.begin(), paged.end(), [](const auto& x, const auto& y) {
      return x.second != y.second ? x.second < y.second : x.first < y.first;
    }));
  }
}

}  // namespace
}  // namespace clippings
