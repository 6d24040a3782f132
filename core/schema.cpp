/// @file schema.cpp
/// Term and value encodings shared by the index writer and the searcher.
#include "schema.h"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <random>

#include <xapian/unicode.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace clippings::schema {

std::string boolean_term(std::string_view prefix, std::string_view value) {
  std::string term{prefix};
  if (prefix.size() + value.size() <= kMaxTermBytes) {
    term += value;
    return term;
  }
  // Keep a readable head and make the tail unique with a hash of the whole value.
  // FNV-1a: stable across builds and platforms, unlike std::hash, since the term is stored.
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : value) hash = (hash ^ c) * 1099511628211ULL;
  const std::string tail = fmt::format("#{:016x}", hash);
  term += value.substr(0, kMaxTermBytes - prefix.size() - tail.size());
  term += tail;
  return term;
}

std::string outlet_term(std::string_view outlet) {
  return boolean_term(kPrefixOutlet, Xapian::Unicode::tolower(std::string{outlet}));
}

std::string encode_group_members(const std::vector<std::string>& id_terms) {
  std::string stored;
  for (const auto& term : id_terms) {
    stored += static_cast<char>(std::min(term.size(), kMaxTermBytes));
    stored.append(term, 0, kMaxTermBytes);
  }
  return stored;
}

std::vector<std::string> decode_group_members(std::string_view stored) {
  std::vector<std::string> id_terms;
  while (!stored.empty()) {
    const std::size_t length = static_cast<unsigned char>(stored.front());
    if (length + 1 > stored.size()) break;
    id_terms.emplace_back(stored.substr(1, length));
    stored.remove_prefix(length + 1);
  }
  return id_terms;
}

std::string date_value(std::string_view iso_date) {
  std::string value;
  for (char c : iso_date) {
    if (c != '-') value += c;
  }
  return value;
}

std::string iso_from_date_value(std::string_view value) {
  if (value.size() != 8) return std::string{value};
  return fmt::format("{}-{}-{}", value.substr(0, 4), value.substr(4, 2), value.substr(6, 2));
}

std::string indexed_value(std::int64_t unix_seconds) {
  return Xapian::sortable_serialise(static_cast<double>(unix_seconds));
}

std::string iso_from_indexed_value(std::string_view value) {
  if (value.empty()) return "";
  const auto seconds = static_cast<std::time_t>(Xapian::sortable_unserialise(std::string{value}));
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(seconds));
}

void mark_changed(Xapian::WritableDatabase& db) {
  // 128 random bits: unique across processes and machines without any state to keep.
  thread_local std::mt19937_64 random = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64{seed};
  }();
  const std::uint64_t high = random(), low = random();
  db.set_metadata(std::string{kMetaChange}, fmt::format("{:016x}{:016x}", high, low));
}

std::size_t shard_of(std::string_view id, std::size_t count) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<std::size_t>(hash % count);
}

}  // namespace clippings::schema
