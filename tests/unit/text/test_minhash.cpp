/// @file test_minhash.cpp
/// MinHash signatures: what makes two texts copies, and the stored form.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "text/minhash.h"

using namespace clippings::text;

namespace {

/// `count` words drawn from a vocabulary of made-up words, from a fixed seed.
std::vector<std::string> words(unsigned seed, int count) {
  std::mt19937 random{seed};
  std::uniform_int_distribution<int> pick{0, 4999};
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back("w" + std::to_string(pick(random)));
  return out;
}

std::string join(const std::vector<std::string>& words, const char* separator = " ") {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

}  // namespace

TEST_CASE("line wrapping, case and punctuation do not change a signature") {
  const auto text = words(1, 200);
  const auto plain = signature_of(join(text));
  REQUIRE(plain);
  CHECK(signature_of(join(text, "\n")) == plain);
  CHECK(signature_of(join(text, ", ")) == plain);
  std::string upper = join(text);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  CHECK(signature_of(upper) == plain);
}

TEST_CASE("a text too short to judge has no signature") {
  CHECK_FALSE(signature_of(""));
  CHECK_FALSE(signature_of("Only a handful of words here, not enough to call anything a copy."));
  CHECK(signature_of(join(words(2, kMinShingles + kShingleWords - 1))));
}

TEST_CASE("edited, trimmed and padded copies are copies, other texts are not") {
  const auto text = words(3, 400);
  const auto original = signature_of(join(text));
  REQUIRE(original);
  struct Case {
    const char* name;
    std::vector<std::string> words;
    bool copy;
  };
  auto edited = text;
  for (std::size_t i = 7; i < edited.size(); i += 25) edited[i] = "changed";  // 4% of the words
  const std::vector<std::string> trimmed(text.begin(), text.begin() + 300);
  auto padded = text;
  for (const auto& word : words(4, 30)) padded.push_back(word);  // boilerplate at the end
  std::vector<std::string> cut(text.begin(), text.begin() + 100);  // a paragraph taken out
  cut.insert(cut.end(), text.begin() + 160, text.end());
  const Case cases[] = {
      {"4% of words edited", edited, true},
      {"last quarter trimmed", trimmed, true},
      {"boilerplate added", padded, true},
      {"a paragraph taken out", cut, true},
      {"another text", words(5, 400), false},
      {"a fifth of the text quoted", std::vector<std::string>(text.begin(), text.begin() + 80), false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto other = signature_of(join(c.words));
    REQUIRE(other);
    CHECK(are_copies(*original, *other) == c.copy);
    CHECK(are_copies(*other, *original) == c.copy);
  }
}

TEST_CASE("containment estimates the share of a text another has") {
  const auto text = words(6, 400);
  const auto whole = signature_of(join(text));
  const auto half = signature_of(join(std::vector<std::string>(text.begin(), text.begin() + 200)));
  REQUIRE(whole);
  REQUIRE(half);
  CHECK(containment(*half, *whole) > 0.85);  // all of the half is in the whole
  CHECK(containment(*whole, *half) == doctest::Approx(0.5).epsilon(0.15));
  CHECK(resemblance(*whole, *whole) == 1.0);
}

TEST_CASE("a signature survives being stored, other bytes are not one") {
  const auto signature = signature_of(join(words(7, 100)));
  REQUIRE(signature);
  CHECK(decode_signature(encode_signature(*signature)) == signature);
  CHECK_FALSE(decode_signature(""));
  CHECK_FALSE(decode_signature(encode_signature(*signature).substr(1)));
}

TEST_CASE("band keys differ between bands, and between texts in a band") {
  const auto signature = signature_of(join(words(8, 100)));
  const auto other = signature_of(join(words(9, 100)));
  REQUIRE(signature);
  REQUIRE(other);
  std::set<std::uint64_t> keys;
  for (std::size_t band = 0; band < kBands; ++band) keys.insert(band_key(*signature, band));
  CHECK(keys.size() == kBands);
  // Band 0's rows are the first three hashes, below the band number.
  CHECK(band_key(*signature, 0) ==
        ((std::uint64_t{signature->mins[0]} << 32) | (std::uint64_t{signature->mins[1]} << 16) | signature->mins[2]));
  CHECK((band_key(*signature, kBands - 1) >> 48) == kBands - 1);
  CHECK(band_key(*signature, 5) != band_key(*other, 5));
}

TEST_CASE("the band keys read from a stored signature are its band keys") {
  // Minima above 255 in every row, so that a byte read in the wrong order changes a key.
  auto signature = signature_of(join(words(10, 100)));
  REQUIRE(signature);
  for (std::size_t i = 0; i < kHashes; ++i) signature->mins[i] = static_cast<std::uint16_t>(0x0100 * (i % 200 + 1) + i);
  BandKeys keys{};
  REQUIRE(stored_band_keys(encode_signature(*signature), keys));
  for (std::size_t band = 0; band < kBands; ++band) CHECK(keys[band] == band_key(*signature, band));
  CHECK_FALSE(stored_band_keys(encode_signature(*signature).substr(1), keys));
  CHECK_FALSE(stored_band_keys("", keys));
}
