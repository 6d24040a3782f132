/// @file reader.cpp
#include "index/reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

namespace clippings {
namespace fs = std::filesystem;

namespace {

/// JSON Lines are handed to the parse threads in chunks of about this many bytes: large
/// enough to make queueing cheap, small enough to spread the work evenly.
constexpr std::size_t kChunkBytes = 256u << 10;
/// How long a read from a terminal or pipe waits before checking for an interrupt.
constexpr int kPollMillis = 200;

/// Closes a file descriptor on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(int error) { return std::strerror(error); }

Origin origin_of(const SourceInput& input) {
  Origin origin;
  origin.file = input.path.string();
  if (!input.is_stdin()) {
    origin.relative_path = input.relative_path;
    origin.source_file = absolute_source_path(input.path);
  }
  return origin;
}

/// A catalog that cannot be used, as a rejection of its file (and line, when the message of
/// Catalog::load starts with "path:line: ").
Rejection catalog_rejection(const fs::path& csv, const std::string& message) {
  Rejection rejection{csv.string(), 0, "invalid_catalog", message};
  const std::string prefix = csv.string() + ":";
  if (!message.starts_with(prefix)) return rejection;
  std::string_view rest = std::string_view{message}.substr(prefix.size());
  std::size_t line = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), line);
  const std::string_view after = rest.substr(static_cast<std::size_t>(end - rest.data()));
  if (error == std::errc{} && line > 0 && after.starts_with(": ")) {
    rejection.line = line;
    rejection.reason = after.substr(2);
  } else if (rest.starts_with(' ')) {
    rejection.reason = rest.substr(1);
  }
  return rejection;
}

}  // namespace

std::string absolute_source_path(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal().string();
}

InputReader::InputReader(const Config& config, std::shared_ptr<const Catalog> catalog,
                         const std::atomic<bool>& stop, const Fingerprints* known)
    : config_(config), given_catalog_(std::move(catalog)), stop_(stop), known_(known),
      extraction_settings_(extraction_settings(config)) {}

bool InputReader::stopping() {
  if (stop_.load(std::memory_order_relaxed)) interrupted_ = true;
  return interrupted_;
}

void InputReader::read(const SourcePlan& plan, BoundedQueue<WorkItem>& out, Window& window) {
  window_ = &window;
  if (given_catalog_) reject_bad_rows(*given_catalog_, out);
  for (const auto& input : plan.inputs) {
    if (stopping()) return;
    if (input.is_stdin()) {
      read_lines(input, STDIN_FILENO, nullptr, out);
    } else {
      read_file(input, out);
    }
    inputs_done_.fetch_add(1, std::memory_order_relaxed);
  }
}

bool InputReader::emit(WorkItem item, BoundedQueue<WorkItem>& out) {
  window_->acquire();
  item.seq = next_seq_++;
  return out.push(std::move(item));
}

bool InputReader::reject(Rejection rejection, BoundedQueue<WorkItem>& out) {
  WorkItem item;
  item.kind = WorkItem::Kind::kRejection;
  item.rejection = std::move(rejection);
  return emit(std::move(item), out);
}

void InputReader::read_file(const SourceInput& input, BoundedQueue<WorkItem>& out) {
  const std::string location = input.path.string();
  auto fail = [&](const char* code, std::string reason) {
    reject(Rejection{location, 0, code, std::move(reason)}, out);
  };
  FileDescriptor fd{::open(location.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat info {};
  if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0) {
    return fail("unreadable", "cannot read: " + errno_text(errno));
  }
  if (S_ISDIR(info.st_mode)) return fail("unreadable", "cannot read: is a directory");
  const auto size = static_cast<std::uint64_t>(info.st_size);
  const bool whole = input.format != InputFormat::kJsonLines;
  // Size is checked before reading so that one huge file cannot exhaust memory (JSON Lines
  // are read a chunk at a time, and only their lines have a limit).
  if (whole && size > config_.indexer.max_file_bytes) {
    return fail("file_too_large", fmt::format("file is {} bytes, over the limit of {} bytes "
                                              "(indexer.max_file_bytes)",
                                              size, config_.indexer.max_file_bytes));
  }
  const std::optional<Metadata> row = whole ? catalog_row(input, out) : std::nullopt;
  SourceRecord record{location, absolute_source_path(input.path), {}};
  Fingerprint& now = record.fingerprint;
  now.size = size;
  now.mtime_ns = mtime_ns_of(info);
  now.read_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  now.settings_hash = settings_hash(input, row);

  // Indexed before, with the same settings and size: unchanged if its time says so, else
  // if its bytes hash to what they did.
  const Fingerprint* before = nullptr;
  if (known_) {
    auto found = known_->find(record.source_file);
    if (found != known_->end() && found->second.settings_hash == now.settings_hash &&
        found->second.size == size) {
      before = &found->second;
    }
  }
  if (before && before->same_by_stat(size, now.mtime_ns)) {
    ++unchanged_;
    return;
  }
  std::optional<std::uint64_t> read;
  if (whole) {
    read = read_whole_file(input, fd.get(), row, now, before, out);
  } else {
    if (before) {
      auto hash = hash_file(fd.get());
      if (!hash || ::lseek(fd.get(), 0, SEEK_SET) != 0) {
        return fail("unreadable", "cannot read: " + errno_text(errno));
      }
      now.content_hash = *hash;
    }
    if (before && now.content_hash == before->content_hash) {
      read = size;
      ++unchanged_;
    } else {
      ContentHash hash;
      read = read_lines(input, fd.get(), &hash, out);
      now.content_hash = hash.hex();
    }
  }
  // A file that changed while it was read is not recorded: the next run reads it again.
  if (read && *read == size) records_.push_back(std::move(record));
}

std::optional<std::uint64_t> InputReader::read_whole_file(const SourceInput& input, int fd,
                                                          const std::optional<Metadata>& row,
                                                          Fingerprint& now,
                                                          const Fingerprint* before,
                                                          BoundedQueue<WorkItem>& out) {
  const std::string location = input.path.string();
  std::string content(now.size, '\0');
  std::size_t filled = 0;
  while (filled < content.size()) {
    const ssize_t n = ::read(fd, content.data() + filled, content.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reject(Rejection{location, 0, "unreadable", "cannot read: " + errno_text(errno)}, out);
      return std::nullopt;
    }
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  content.resize(filled);
  bytes_read_ += filled;
  ContentHash hash;
  hash.update(content);
  now.content_hash = hash.hex();
  if (before && now.content_hash == before->content_hash) {
    ++unchanged_;
    return filled;
  }
  // An empty file is no article, unless the catalog gives it a title (a headline alone).
  if (content.empty() && !(row && !row->title.empty())) {
    reject(Rejection{location, 0, "empty_file", "empty file"}, out);
    return std::nullopt;
  }
  WorkItem item;
  item.kind = WorkItem::Kind::kFile;
  item.format = input.format;
  item.origin = origin_of(input);
  item.content = std::move(content);
  item.catalog_row = row;
  emit(std::move(item), out);
  return filled;
}

std::string InputReader::settings_hash(const SourceInput& input,
                                       const std::optional<Metadata>& row) const {
  // The relative path is the id of last resort; the catalog row is metadata of the file.
  std::string text = extraction_settings_;
  for (const std::string* part : {&input.relative_path, row ? &row->id : nullptr,
                                  row ? &row->title : nullptr, row ? &row->outlet : nullptr,
                                  row ? &row->date : nullptr, row ? &row->url : nullptr,
                                  row ? &row->author : nullptr, row ? &row->lang : nullptr}) {
    text += '\0';
    if (part) text += *part;
  }
  text += row ? "\1" : "\0";
  return settings_digest(text);
}

std::optional<Metadata> InputReader::catalog_row(const SourceInput& input,
                                                 BoundedQueue<WorkItem>& out) {
  const Catalog* catalog = given_catalog_.get();
  if (!catalog) catalog = catalog_in(input.path.parent_path(), out);
  if (!catalog) catalog = catalog_in(input.root, out);
  if (!catalog) return std::nullopt;
  const Metadata* row = catalog->find(input.path);
  return row ? std::optional<Metadata>{*row} : std::nullopt;
}

const Catalog* InputReader::catalog_in(const fs::path& dir, BoundedQueue<WorkItem>& out) {
  const fs::path key = dir.empty() ? fs::path{"."} : dir;
  auto found = catalogs_.find(key);
  if (found == catalogs_.end()) {
    std::unique_ptr<Catalog> catalog;
    const fs::path csv = key / kCatalogFileName;
    std::error_code ec;
    if (fs::exists(csv, ec)) {
      auto loaded = Catalog::load(csv);
      if (loaded) {
        catalog = std::make_unique<Catalog>(std::move(*loaded));
        reject_bad_rows(*catalog, out);
      } else {
        // Reported once; the files it describes are still indexed, with what they hold.
        reject(catalog_rejection(csv, loaded.error().message), out);
      }
    }
    found = catalogs_.emplace(key, std::move(catalog)).first;
  }
  return found->second.get();
}

void InputReader::reject_bad_rows(const Catalog& catalog, BoundedQueue<WorkItem>& out) {
  for (const auto& problem : catalog.problems()) {
    reject(Rejection{catalog.name(), problem.line, "invalid_catalog", problem.message}, out);
  }
}

std::optional<std::uint64_t> InputReader::read_lines(const SourceInput& input, int fd,
                                                     ContentHash* hash,
                                                     BoundedQueue<WorkItem>& out) {
  const std::string location = input.path.string();
  const bool from_stdin = input.is_stdin();
  const Origin origin = origin_of(input);
  const std::size_t max_line = config_.indexer.max_file_bytes;
  std::string pending;
  std::size_t next_line = 1;     // number of the first line in `pending`
  bool skipping_long = false;    // inside a line over the limit: drop bytes up to its end
  std::uint64_t total = 0;
  auto send = [&](std::string lines) {
    WorkItem item;
    item.kind = WorkItem::Kind::kLines;
    item.origin = origin;
    item.origin.line = next_line;
    next_line += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
    item.content = std::move(lines);
    return emit(std::move(item), out);
  };
  std::string buffer(kChunkBytes, '\0');
  while (!stopping()) {
    if (from_stdin) {
      pollfd waiting{fd, POLLIN, 0};
      if (::poll(&waiting, 1, kPollMillis) == 0) continue;
    }
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reject(Rejection{location, next_line, "unreadable", "cannot read: " + errno_text(errno)}, out);
      return std::nullopt;
    }
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    bytes_read_ += static_cast<std::uint64_t>(n);
    std::string_view data{buffer.data(), static_cast<std::size_t>(n)};
    if (hash) hash->update(data);
    if (skipping_long) {
      const std::size_t end = data.find('\n');
      if (end == std::string_view::npos) continue;
      skipping_long = false;
      ++next_line;
      data.remove_prefix(end + 1);
    }
    pending.append(data);
    if (pending.size() < kChunkBytes) continue;
    const std::size_t last = pending.rfind('\n');
    if (last == std::string::npos) {
      if (pending.size() > max_line) {
        reject(Rejection{location, next_line, "line_too_long",
                         fmt::format("line is over the limit of {} bytes (indexer.max_file_bytes)",
                                     max_line)},
               out);
        pending.clear();
        skipping_long = true;
      }
      continue;
    }
    std::string rest = pending.substr(last + 1);
    pending.resize(last + 1);
    if (!send(std::move(pending))) return std::nullopt;
    pending = std::move(rest);
  }
  if (interrupted_) {
    // Complete lines already read are indexed; a partial last line is not complete input.
    pending.resize(pending.empty() ? 0 : pending.rfind('\n') + 1);
    if (!pending.empty()) send(std::move(pending));
    return std::nullopt;
  }
  if (!pending.empty()) {
    if (pending.back() != '\n') pending.push_back('\n');
    send(std::move(pending));
  } else if (total == 0 && !from_stdin) {
    reject(Rejection{location, 0, "empty_file", "empty file"}, out);
    return std::nullopt;
  }
  return total;
}

}  // namespace clippings
