/// @file test_term_matches.cpp
/// The matches of plain-term queries read from posting lists, against what they must be.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <optional>

#include <xapian.h>

#include "search/term_matches.h"
#include "support.h"

using namespace clippings;
using Xapian::Query;

namespace {

constexpr Xapian::docid kDocuments = 3000;

/// Document d holds "two" if 2 divides d, "three" if 3 does, and so on, and "rare" in 1001 and
/// 2100 only. Three thousand documents fill more than one chunk of the longer posting lists, so
/// skipping crosses chunks.
bool holds(Xapian::docid did, const std::string& term) {
  if (term == "two") return did % 2 == 0;
  if (term == "three") return did % 3 == 0;
  if (term == "five") return did % 5 == 0;
  if (term == "seven") return did % 7 == 0;
  if (term == "rare") return did == 1001 || did == 2100;
  return false;
}

struct DivisorIndex {
  DivisorIndex() : path((dir / "db").string()) {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    for (Xapian::docid did = 1; did <= kDocuments; ++did) {
      Xapian::Document doc;
      for (const char* term : {"two", "three", "five", "seven", "rare"}) {
        if (holds(did, term)) doc.add_term(term);
      }
      db.replace_document(did, doc);
    }
    db.commit();
  }
  test::TempDir dir;
  std::string path;
};

/// The docids visit_term_matches hands over, or nothing when it refuses the query (having
/// visited none, which is checked here).
std::optional<std::vector<Xapian::docid>> visited(const Xapian::Database& db, const Query& query) {
  std::vector<Xapian::docid> docids;
  const bool handled = search::visit_term_matches(db, query, [&](search::DocidBatch batch) {
    CHECK_FALSE(batch.empty());
    docids.insert(docids.end(), batch.begin(), batch.end());
  });
  if (handled) return docids;
  CHECK(docids.empty());
  return std::nullopt;
}

std::vector<Xapian::docid> where(const std::function<bool(Xapian::docid)>& predicate) {
  std::vector<Xapian::docid> docids;
  for (Xapian::docid did = 1; did <= kDocuments; ++did) {
    if (predicate(did)) docids.push_back(did);
  }
  return docids;
}

std::vector<Xapian::docid> all_of(std::initializer_list<const char*> words) {
  return where([words](Xapian::docid did) {
    return std::all_of(words.begin(), words.end(), [did](const char* w) { return holds(did, w); });
  });
}

std::vector<Xapian::docid> any_of(std::initializer_list<const char*> words) {
  return where([words](Xapian::docid did) {
    return std::any_of(words.begin(), words.end(), [did](const char* w) { return holds(did, w); });
  });
}

Query terms(Query::op op, std::initializer_list<const char*> words) {
  std::vector<Query> parts(words.begin(), words.end());
  return Query(op, parts.begin(), parts.end());
}

}  // namespace

TEST_CASE("plain-term queries visit exactly their matches, in docid order") {
  DivisorIndex index;
  Xapian::Database db(index.path);
  struct Case {
    const char* name;
    Query query;
    std::vector<Xapian::docid> expected;
  };
  const std::vector<Case> cases{
      {"one term, in several batches", Query("two"), any_of({"two"})},
      {"AND", terms(Query::OP_AND, {"two", "three"}), all_of({"two", "three"})},
      {"AND, frequent first", terms(Query::OP_AND, {"two", "seven", "five"}),
       all_of({"two", "five", "seven"})},
      {"AND with a rare term", terms(Query::OP_AND, {"two", "three", "rare"}), {2100}},
      {"AND, the same term twice", terms(Query::OP_AND, {"five", "five"}), any_of({"five"})},
      {"AND with a term no document has", terms(Query::OP_AND, {"two", "absent"}), {}},
      {"FILTER", terms(Query::OP_FILTER, {"three", "seven"}), all_of({"three", "seven"})},
      {"OR", terms(Query::OP_OR, {"five", "seven"}), any_of({"five", "seven"})},
      {"OR of three", terms(Query::OP_OR, {"rare", "seven", "three"}),
       any_of({"rare", "seven", "three"})},
      {"OR with a term no document has", terms(Query::OP_OR, {"absent", "rare"}), {1001, 2100}},
      {"SYNONYM", terms(Query::OP_SYNONYM, {"two", "five"}), any_of({"two", "five"})},
      {"a term no document has", Query("absent"), {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(visited(db, c.query) == c.expected);
  }
}

TEST_CASE("plain-term matches are those Xapian's matcher finds") {
  DivisorIndex index;
  Xapian::Database db(index.path);
  for (const Query& query : {terms(Query::OP_AND, {"three", "five"}),
                             terms(Query::OP_OR, {"two", "seven", "rare"})}) {
    CAPTURE(query.get_description());
    const auto docids = visited(db, query);
    REQUIRE(docids.has_value());
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet matches = enquire.get_mset(0, kDocuments);
    std::vector<Xapian::docid> expected;
    for (auto it = matches.begin(); it != matches.end(); ++it) expected.push_back(*it);
    CHECK(*docids == expected);
  }
}

TEST_CASE("other queries are left to the matcher, with nothing visited") {
  DivisorIndex index;
  Xapian::Database db(index.path);
  const Query nested(Query::OP_AND, Query("two"), terms(Query::OP_OR, {"three", "five"}));
  for (const Query& query : {nested, terms(Query::OP_AND_NOT, {"two", "three"}),
                             terms(Query::OP_PHRASE, {"two", "three"}), Query::MatchAll,
                             Query(Query::OP_WILDCARD, "tw")}) {
    CAPTURE(query.get_description());
    CHECK_FALSE(visited(db, query).has_value());
  }
}
