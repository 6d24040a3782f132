/// @file spellings.cpp
#include "index/spellings.h"

#include <fmt/format.h>
#include <xapian.h>

#include "config.h"

namespace clippings {
namespace {

/// A word whose count in the dictionary is to change (0: absent).
struct Change {
  std::string word;
  Xapian::termcount now = 0, wanted = 0;
};

void apply(Xapian::WritableDatabase& dictionary, const Change& change) {
  if (change.wanted > change.now) dictionary.add_spelling(change.word, change.wanted - change.now);
  if (change.wanted < change.now) dictionary.remove_spelling(change.word, change.now - change.wanted);
}

}  // namespace

Result<SpellingSync> sync_spellings(const std::vector<std::string>& sources, const std::string& target) {
  for (const auto& database : sources) {
    if (remote_address(database)) {
      return Error{2, "invalid_source",
                   database + ": xapian-tcpsrv serves no spelling dictionary; make one where that shard's folder is, "
                              "and give the server each (`spelling:`)",
                   ""};
    }
  }
  Xapian::Database all;
  for (const auto& source : sources) {
    try {
      all.add_database(Xapian::Database{source});
    } catch (const Xapian::Error& e) {
      return Error{2, "invalid_source", fmt::format("{}: cannot open the database: {}", source, e.get_msg()), ""};
    }
  }
  try {
    Xapian::WritableDatabase dictionary{target, Xapian::DB_CREATE_OR_OPEN};
    // Both lists are in word order: one walk over them, as a merge.
    SpellingSync sync;
    auto wanted = all.spellings_begin();
    auto has = dictionary.spellings_begin();
    // Read before writing: the changes go to the dictionary being walked.
    std::vector<Change> changes;
    while (wanted != all.spellings_end() || has != dictionary.spellings_end()) {
      const bool take_wanted = has == dictionary.spellings_end() ||
                               (wanted != all.spellings_end() && *wanted <= *has);
      const bool take_has = wanted == all.spellings_end() ||
                            (has != dictionary.spellings_end() && *has <= *wanted);
      const std::string word = take_wanted ? *wanted : *has;
      const Xapian::termcount now = take_has ? has.get_termfreq() : 0;
      const Xapian::termcount goal = take_wanted ? wanted.get_termfreq() : 0;
      if (goal != 0) ++sync.words;
      if (now != goal) changes.push_back({word, now, goal});
      if (take_wanted) ++wanted;
      if (take_has) ++has;
    }
    for (const Change& change : changes) apply(dictionary, change);
    dictionary.commit();
    sync.changed = changes.size();
    return sync;
  } catch (const Xapian::Error& e) {
    return Error{2, "invalid_database", fmt::format("{}: cannot write the spelling dictionary: {}", target, e.get_msg()), ""};
  }
}

}  // namespace clippings
