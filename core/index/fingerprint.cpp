/// @file fingerprint.cpp
#include "index/fingerprint.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <new>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "schema.h"

namespace clippings {
namespace {

/// The first field of the stored value: the format of what follows.
constexpr std::string_view kFormat = "1";
/// How close before its read a modification time must be to be doubted: wider than the
/// time stamp resolution of any file system (FAT's is two seconds) and small clock skews.
constexpr std::int64_t kRacyNanoseconds = 3'000'000'000;

template <typename Int>
bool parse_int(std::string_view text, Int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size();
}

}  // namespace

bool Fingerprint::same_by_stat(std::uint64_t file_size, std::int64_t file_mtime_ns) const {
  return file_size == size && file_mtime_ns == mtime_ns && mtime_ns < read_ns - kRacyNanoseconds;
}

std::string encode_fingerprint(const Fingerprint& f, std::string_view path) {
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}", kFormat, f.size, f.mtime_ns, f.read_ns,
                     f.content_hash, f.settings_hash, path);
}

std::optional<std::pair<std::string, Fingerprint>> decode_fingerprint(std::string_view value) {
  std::vector<std::string_view> fields;
  while (fields.size() < 6) {
    const std::size_t tab = value.find('\t');
    if (tab == std::string_view::npos) return std::nullopt;
    fields.push_back(value.substr(0, tab));
    value.remove_prefix(tab + 1);
  }
  Fingerprint f;
  if (fields[0] != kFormat || !parse_int(fields[1], f.size) || !parse_int(fields[2], f.mtime_ns) ||
      !parse_int(fields[3], f.read_ns) || value.empty()) {
    return std::nullopt;
  }
  f.content_hash = fields[4];
  f.settings_hash = fields[5];
  return std::pair{std::string{value}, std::move(f)};
}

Fingerprints load_fingerprints(const Xapian::Database& db) {
  Fingerprints out;
  const std::string prefix{schema::kMetadataSourcePrefix};
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    // A value this build cannot read is as good as none: the file is read again.
    if (auto decoded = decode_fingerprint(db.get_metadata(*it))) {
      out.insert_or_assign(std::move(decoded->first), std::move(decoded->second));
    }
  }
  return out;
}

std::string extraction_settings(const Config& config) {
  const nlohmann::json all = describe(config);
  // The indexing scheme too: a file indexed under an older one has its words in other forms.
  const nlohmann::json used = {{"version", CLIPPINGS_VERSION},
                               {"scheme", schema::kIndexScheme},
                               {"language", all["language"]},
                               {"outlets", all["outlets"]},
                               {"boilerplate", all["boilerplate"]},
                               {"fields", all["fields"]}};
  return used.dump();
}

std::string settings_digest(std::string_view text) {
  return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

ContentHash::ContentHash() : state_(XXH3_createState()) {
  if (!state_) throw std::bad_alloc{};
  XXH3_128bits_reset(state_);
}

ContentHash::~ContentHash() { XXH3_freeState(state_); }

void ContentHash::update(std::string_view bytes) {
  XXH3_128bits_update(state_, bytes.data(), bytes.size());
}

std::string ContentHash::hex() const {
  const XXH128_hash_t hash = XXH3_128bits_digest(state_);
  return fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
}

std::optional<std::string> hash_file(int fd) {
  if (::lseek(fd, 0, SEEK_SET) != 0) return std::nullopt;
  ContentHash hash;
  std::vector<char> buffer(1u << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    hash.update({buffer.data(), static_cast<std::size_t>(n)});
  }
  return hash.hex();
}

}  // namespace clippings
