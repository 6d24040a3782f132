/// @file minhash.cpp
#include "text/minhash.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_set>

#include <xxhash.h>

namespace clippings::text {
namespace {

/// splitmix64's finaliser: spreads every input bit over the output.
constexpr std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Multipliers (odd) and offsets of the hash family h_i(x) = (a_i * x + b_i) >> 32, drawn once
/// from a fixed seed: signatures are stored, so they must not change between builds.
struct HashFamily {
  std::array<std::uint64_t, kHashes> a{};
  std::array<std::uint64_t, kHashes> b{};
  constexpr HashFamily() {
    std::uint64_t state = 0x636c697070696e67ULL;
    for (std::size_t i = 0; i < kHashes; ++i) {
      a[i] = mix(state += 0x9e3779b97f4a7c15ULL) | 1;
      b[i] = mix(state += 0x9e3779b97f4a7c15ULL);
    }
  }
};
constexpr HashFamily kFamily;

/// A stored signature: the shingle count in 4 bytes, then each minimum in 2.
constexpr std::size_t kStoredBytes = 4 + 2 * kHashes;

bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/// The hash of each word of `text`, in order.
std::vector<std::uint64_t> word_hashes(std::string_view text) {
  std::vector<std::uint64_t> hashes;
  std::string word;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_byte(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    word.clear();
    for (; i < text.size() && is_word_byte(static_cast<unsigned char>(text[i])); ++i) {
      const char c = text[i];
      word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    hashes.push_back(XXH3_64bits(word.data(), word.size()));
  }
  return hashes;
}

}  // namespace

std::optional<Signature> signature_of(std::string_view text) {
  const std::vector<std::uint64_t> words = word_hashes(text);
  if (words.size() < kShingleWords) return std::nullopt;
  std::unordered_set<std::uint64_t> shingles;
  shingles.reserve(words.size());
  for (std::size_t i = 0; i + kShingleWords <= words.size(); ++i) {
    std::uint64_t h = 0;
    for (std::size_t k = 0; k < kShingleWords; ++k) h ^= std::rotl(words[i + k], static_cast<int>(21 * k));
    shingles.insert(mix(h));
  }
  if (shingles.size() < kMinShingles) return std::nullopt;
  std::array<std::uint32_t, kHashes> mins;
  mins.fill(std::numeric_limits<std::uint32_t>::max());
  for (const std::uint64_t shingle : shingles) {
    for (std::size_t i = 0; i < kHashes; ++i) {
      const auto h = static_cast<std::uint32_t>((kFamily.a[i] * shingle + kFamily.b[i]) >> 32);
      mins[i] = std::min(mins[i], h);
    }
  }
  Signature signature;
  signature.shingles = static_cast<std::uint32_t>(shingles.size());
  for (std::size_t i = 0; i < kHashes; ++i) signature.mins[i] = static_cast<std::uint16_t>(mins[i]);
  return signature;
}

std::string encode_signature(const Signature& signature) {
  std::string bytes;
  bytes.reserve(4 + 2 * kHashes);
  for (int shift = 0; shift < 32; shift += 8) bytes += static_cast<char>(signature.shingles >> shift);
  for (const std::uint16_t min : signature.mins) {
    bytes += static_cast<char>(min & 0xff);
    bytes += static_cast<char>(min >> 8);
  }
  return bytes;
}

std::optional<Signature> decode_signature(std::string_view bytes) {
  if (bytes.size() != kStoredBytes) return std::nullopt;
  const auto byte = [&bytes](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
  Signature signature;
  for (std::size_t i = 0; i < 4; ++i) signature.shingles |= byte(i) << (8 * i);
  for (std::size_t i = 0; i < kHashes; ++i) {
    signature.mins[i] = static_cast<std::uint16_t>(byte(4 + 2 * i) | (byte(5 + 2 * i) << 8));
  }
  return signature;
}

bool stored_band_keys(std::string_view bytes, BandKeys& keys) {
  if (bytes.size() != kStoredBytes) return false;
  const auto* row = reinterpret_cast<const unsigned char*>(bytes.data()) + 4;
  for (std::size_t band = 0; band < kBands; ++band) {
    // As band_key: the band number, then each row's 16 bits.
    std::uint64_t key = band;
    for (std::size_t r = 0; r < kBandRows; ++r, row += 2) key = (key << 16) | row[0] | (std::uint64_t{row[1]} << 8);
    keys[band] = key;
  }
  return true;
}

double resemblance(const Signature& a, const Signature& b) {
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kHashes; ++i) equal += a.mins[i] == b.mins[i];
  return static_cast<double>(equal) / kHashes;
}

double containment(const Signature& a, const Signature& b) {
  // |A ∩ B| = J (|A| + |B|) / (1 + J), from J = |A ∩ B| / |A ∪ B|.
  const double j = resemblance(a, b);
  const double shared = j * (static_cast<double>(a.shingles) + b.shingles) / (1 + j);
  return a.shingles == 0 ? 0 : std::min(1.0, shared / a.shingles);
}

bool are_copies(const Signature& a, const Signature& b) { return resemblance(a, b) >= kCopyResemblance; }

}  // namespace clippings::text
