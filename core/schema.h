/// @file schema.h
/// The index schema: every term prefix, value slot and stored field, in one place.
/// docs/DESIGN.md documents the same table for readers of the database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace clippings::schema {

// Term prefixes follow Omega's conventions where one exists (Q, S, A, U);
// ours start with X. Free-text prefixes are searchable through the field
// names in kFieldPrefixes; boolean ones are exact filters.
inline constexpr std::string_view kPrefixId = "Q";           ///< boolean: article id (unique)
inline constexpr std::string_view kPrefixTitle = "S";        ///< free text: words of the title
inline constexpr std::string_view kPrefixAuthor = "A";       ///< free text: words of the author
inline constexpr std::string_view kPrefixUrl = "U";          ///< boolean: normalised URL
inline constexpr std::string_view kPrefixOutletText = "XO";  ///< free text: words of the outlet
inline constexpr std::string_view kPrefixOutlet = "XF";      ///< boolean: folded outlet name (filter)
inline constexpr std::string_view kPrefixLang = "XL";        ///< boolean: language code
inline constexpr std::string_view kPrefixSource = "XP";      ///< boolean: source file path (for --prune)
// Word forms besides the stems, each indexed only where it says something the stem does not
// (docs/DESIGN.md, "Languages and scripts"; the cost of each in docs/BENCHMARKS.md).
inline constexpr std::string_view kPrefixExact = "XE";    ///< a non-ASCII word as written, lower-cased; no positions
inline constexpr std::string_view kPrefixFolded = "XN";   ///< a stem without its accents, where it had some
inline constexpr std::string_view kPrefixTranslit = "XT"; ///< a Cyrillic word's Latin key (text::translit_key)

/// Query-syntax field names and the free-text prefix each one searches.
struct FieldPrefix {
  std::string_view field;
  std::string_view prefix;
};
inline constexpr FieldPrefix kFieldPrefixes[] = {
    {"title", kPrefixTitle},
    {"author", kPrefixAuthor},
    {"outlet", kPrefixOutletText},
};
/// The query-syntax field that takes a date range (date:2022-01-01..2022-12-31).
inline constexpr std::string_view kDateField = "date:";

// Value slots.
inline constexpr Xapian::valueno kSlotDate = 0;    ///< "YYYYMMDD"; absent when undated
inline constexpr Xapian::valueno kSlotOutlet = 1;  ///< outlet display name, for the facet
inline constexpr Xapian::valueno kSlotSource = 2;  ///< source file path; absent for stdin
/// When the article was first indexed: indexed_value(Unix seconds), which sorts by time.
/// Absent for articles indexed before this slot existed; re-indexing keeps the first value.
inline constexpr Xapian::valueno kSlotIndexed = 3;
/// The text's MinHash signature (text::encode_signature); absent for a text too short to have one.
inline constexpr Xapian::valueno kSlotSignature = 4;
/// The group of copies (docs/DESIGN.md, "Copies"): the smallest id term value of its articles;
/// absent for an article with no copy. Search collapses on it.
inline constexpr Xapian::valueno kSlotGroup = 5;

// User metadata (Xapian::Database::get_metadata): the fingerprint of each source file indexed
// whole and without rejections, so that a later run skips it while it is unchanged. The key
// is this prefix and the absolute path (hashed like a long boolean term); the value is
// written and read by core/index/fingerprint.cpp and holds the path too.
inline constexpr std::string_view kMetadataSourcePrefix = "source:";
// And the articles of each group of copies (kSlotGroup): the key is this prefix and the
// group's name, the value their id terms (encode_group_members). A list, not a term on each
// article: adding a term to a stored article rereads every position it has, which was most
// of the time grouping took.
inline constexpr std::string_view kMetadataGroupPrefix = "group:";

/// How much more a title word weighs than a body word (within-document frequency).
inline constexpr Xapian::termcount kTitleWeight = 3;
/// Term positions left empty between title and body so phrases never span them.
inline constexpr Xapian::termpos kFieldGap = 100;

/// Terms longer than this are hashed: Xapian's limit is 245 bytes per term.
inline constexpr std::size_t kMaxTermBytes = 240;

/// prefix + value, with values longer than the term limit replaced by a hash.
std::string boolean_term(std::string_view prefix, std::string_view value);
/// The id term of an article.
inline std::string id_term(std::string_view id) { return boolean_term(kPrefixId, id); }
/// The metadata key of a group of copies (see kMetadataGroupPrefix).
inline std::string group_metadata_key(std::string_view group) { return boolean_term(kMetadataGroupPrefix, group); }
/// A group's id terms as stored, each after its length in one byte (a term is at most
/// kMaxTermBytes), and back; a stored value cut short gives the terms before the cut.
std::string encode_group_members(const std::vector<std::string>& id_terms);
std::vector<std::string> decode_group_members(std::string_view stored);
/// The metadata key of a source file's fingerprint (see kMetadataSourcePrefix).
inline std::string source_metadata_key(std::string_view path) {
  return boolean_term(kMetadataSourcePrefix, path);
}
/// The filter term of an outlet: case-folded so that filters ignore case.
std::string outlet_term(std::string_view outlet);
/// "2022-11-25" -> "20221125", the form kept in kSlotDate.
std::string date_value(std::string_view iso_date);
/// "20221125" -> "2022-11-25".
std::string iso_from_date_value(std::string_view value);
/// The kSlotIndexed value of a time in Unix seconds (Xapian's sortable encoding).
std::string indexed_value(std::int64_t unix_seconds);
/// A kSlotIndexed value as RFC 3339 UTC, "2024-06-03T10:15:00Z"; "" for an empty value.
std::string iso_from_indexed_value(std::string_view value);

}  // namespace clippings::schema

namespace clippings::schema {

/// Every word is indexed and searched as its stem (no unstemmed copies): a third smaller and
/// faster to index than STEM_SOME; phrases match on stems, positions are kept for them.
inline constexpr auto kIndexStemming = Xapian::TermGenerator::STEM_ALL;
inline constexpr auto kQueryStemming = Xapian::QueryParser::STEM_ALL;
/// Chinese, Japanese and Korean have no spaces between words: their text is indexed and
/// searched as characters and pairs of characters (Xapian's CJK n-grams), so a word inside a
/// sentence is found without a dictionary.
inline constexpr unsigned kIndexFlags = Xapian::TermGenerator::FLAG_CJK_NGRAM;
inline constexpr unsigned kQueryFlags = Xapian::QueryParser::FLAG_CJK_NGRAM;

/// The indexing scheme, recorded in the database (kMetaScheme): 2 stems each article with its
/// language's stemmer after text::stem_form, adds the kPrefixExact, kPrefixFolded and
/// kPrefixTranslit forms and indexes CJK text as n-grams. Databases without it are 1: every
/// article stemmed with the default language's stemmer, stems only.
inline constexpr int kIndexScheme = 2;
/// Database metadata keys: the scheme, and per language ("clippings:stemmer:ru") the Xapian
/// stemmer its articles were stemmed with ("russian", or "none").
inline constexpr std::string_view kMetaScheme = "clippings:scheme";
inline constexpr std::string_view kMetaStemmer = "clippings:stemmer:";
/// A shard of an index the indexer writes into shards (index/shard_layout.h): its place, as
/// "2/3" for the second of three.
inline constexpr std::string_view kMetaShard = "clippings:shard";
/// A mark the indexer sets anew in each commit that changes documents (mark_changed). Through
/// xapian-tcpsrv a database tells no revision, and a commit that only rewrites values (a group
/// of copies, a corrected outlet) changes none of the statistics it does tell: the mark is
/// how a front end sees that what it read of the documents is out of date.
inline constexpr std::string_view kMetaChange = "clippings:change";
/// Sets kMetaChange to a value no earlier commit of any database has set; commits nothing.
void mark_changed(Xapian::WritableDatabase& db);
/// The shard of `count` (at least 1) that holds the article with this id, in an index the
/// indexer writes into shards: FNV-1a of its bytes, the same on every machine and in every
/// version.
std::size_t shard_of(std::string_view id, std::size_t count);

}  // namespace clippings::schema
