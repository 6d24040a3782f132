/// @file minhash.h
/// MinHash signatures of a text's word shingles, and the locality-sensitive bands that find
/// texts sharing most of their shingles (Broder's resemblance; Leskovec et al., Mining of
/// Massive Datasets, ch. 3).
///
/// Why MinHash and not SimHash: a copy that was trimmed or lost a paragraph shares a set of
/// shingles with its source, and MinHash estimates exactly that set overlap (Jaccard), with an
/// error that depends only on the number of hashes. SimHash estimates a weighted cosine whose
/// bits shift with every edit anywhere in the text, and needs permuted tables rather than plain
/// term lookups to find neighbours.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clippings::text {

/// Words per shingle: three keeps a few edited words from hiding a copy (each edit changes
/// three shingles) while unrelated texts share almost no three-word sequences.
inline constexpr std::size_t kShingleWords = 3;
/// Hashes per signature, cut into kBands bands of kBandRows rows. Two texts with Jaccard J
/// share at least one band with probability 1 - (1 - J^3)^40: 0.94 at J = 0.4, 0.996 at 0.5,
/// 0.04 at 0.1 (docs/DESIGN.md, "Copies").
inline constexpr std::size_t kBandRows = 3;
inline constexpr std::size_t kBands = 40;
inline constexpr std::size_t kHashes = kBandRows * kBands;
/// Texts with fewer shingles get no signature: a few lines say too little to call a copy.
inline constexpr std::uint32_t kMinShingles = 20;
/// Two texts are copies of each other when their estimated Jaccard resemblance reaches this.
inline constexpr double kCopyResemblance = 0.4;

/// The low 16 bits of each hash's minimum over the text's shingles, and how many distinct
/// shingles the text has. Two signatures agree on a hash with probability J + (1 - J) / 65536.
struct Signature {
  std::array<std::uint16_t, kHashes> mins{};
  std::uint32_t shingles = 0;

  bool operator==(const Signature&) const = default;
};

/// The signature of `text` (UTF-8; words are runs of ASCII letters and digits and of non-ASCII
/// bytes, ASCII lower-cased); nullopt when it has fewer than kMinShingles shingles.
std::optional<Signature> signature_of(std::string_view text);

/// The signature as stored (little-endian shingle count, then the minima), and back; nullopt
/// for bytes that are not one.
std::string encode_signature(const Signature& signature);
std::optional<Signature> decode_signature(std::string_view bytes);

/// The key of band `band` (0 to kBands - 1): its number and its rows in one integer. Texts that
/// share the key of any band are the candidates to compare with are_copies. Inline: an update's
/// grouping asks for every band of every article in the database.
inline std::uint64_t band_key(const Signature& signature, std::size_t band) {
  // The rows take 16 bits each below the band number.
  static_assert(kBandRows <= 3 && kBands < (1 << 16));
  std::uint64_t key = band;
  for (std::size_t row = 0; row < kBandRows; ++row) key = (key << 16) | signature.mins[band * kBandRows + row];
  return key;
}

/// Every band key of a signature as stored, one per band.
using BandKeys = std::array<std::uint64_t, kBands>;
/// The band keys of a stored signature (encode_signature), read from its bytes: an update's
/// grouping asks for the keys of every article in the database and decodes only the few whose
/// keys match (decoding them all was half of that pass's computing). False for bytes that are
/// not a signature.
bool stored_band_keys(std::string_view bytes, BandKeys& keys);

/// The estimated Jaccard resemblance of the two texts' shingle sets.
double resemblance(const Signature& a, const Signature& b);
/// The estimated share of `a`'s shingles that `b` has too.
double containment(const Signature& a, const Signature& b);
/// Whether the two texts are copies of each other: resemblance() >= kCopyResemblance.
bool are_copies(const Signature& a, const Signature& b);

}  // namespace clippings::text
