/// @file export_stream.cpp
#include "export_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <xapian/unicode.h>

namespace clippings::http {
namespace {

/// Characters of the query kept in a file name.
constexpr std::size_t kNameChars = 60;

/// q as a file-name part: lower-cased letters and digits, runs of anything else as one '-'.
std::string name_part(std::string_view q) {
  std::string out;
  std::size_t chars = 0;
  bool gap = false;
  for (Xapian::Utf8Iterator it{q.data(), q.size()}; it != Xapian::Utf8Iterator{} && chars < kNameChars; ++it) {
    const unsigned ch = *it;
    if (!Xapian::Unicode::is_wordchar(ch) || ch == '_') {
      gap = !out.empty();
      continue;
    }
    if (gap) {
      out += '-';
      ++chars;
      gap = false;
    }
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(ch));
    ++chars;
  }
  return out;
}

/// `part` without its non-ASCII characters, runs of '-' joined again.
std::string ascii_only(std::string_view part) {
  std::string out;
  for (const char c : part) {
    if (static_cast<unsigned char>(c) >= 0x80) continue;
    if (c == '-' && (out.empty() || out.back() == '-')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string file_name(std::string_view part, std::string_view extension) {
  return fmt::format("clippings{}{}.{}", part.empty() ? "" : "-", part, extension);
}

/// Rows are written to the file in pieces this large.
constexpr std::size_t kFlushBytes = ExportJob::kChunkBytes;

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

/// An unlinked temporary file: gone with its descriptor, however the export ends.
int temporary_file() {
  std::string path = (std::filesystem::temp_directory_path() / "clippings-export-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) fail("cannot create a temporary file for an export");
  ::unlink(path.c_str());
  return fd;
}

}  // namespace

std::string export_disposition(std::string_view q, std::string_view extension) {
  const std::string part = name_part(q);
  const std::string ascii = ascii_only(part);
  std::string out = fmt::format("attachment; filename=\"{}\"", file_name(ascii, extension));
  if (ascii != part) out += "; filename*=UTF-8''" + percent_encode(file_name(part, extension));
  return out;
}

ExportJob::ExportJob(const ExportFormat& format, SearcherPool::Lease lease, HitStream stream)
    : format_(format), fd_(temporary_file()), lease_(std::move(lease)), stream_(std::move(stream)),
      writer_([this] { write_rows(); }) {}

ExportJob::~ExportJob() {
  stop_ = true;
  writer_.join();
  ::close(fd_);
}

void ExportJob::flush(std::string& buffer) {
  std::size_t at = 0;
  {
    std::lock_guard lock{mutex_};
    at = written_;
  }
  for (std::size_t done = 0; done < buffer.size();) {
    const ssize_t n = ::pwrite(fd_, buffer.data() + done, buffer.size() - done,
                               static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write an export to its temporary file");
    done += static_cast<std::size_t>(n);
  }
  {
    std::lock_guard lock{mutex_};
    written_ += buffer.size();
  }
  progress_.notify_one();
  buffer.clear();
}

void ExportJob::write_rows() {
  bool ok = false;
  try {
    std::string buffer{format_.header};
    StreamedHit hit;
    while (!stop_ && stream_->next(hit)) {
      format_.append_row(buffer, hit);
      if (buffer.size() >= kFlushBytes) flush(buffer);
    }
    flush(buffer);
    ok = !stop_;
  } catch (const Xapian::Error& e) {
    spdlog::error("export stopped: {}", e.get_description());
  } catch (const std::exception& e) {
    spdlog::error("export stopped: {}", e.what());
  }
  // The rows are written: the searcher can serve others.
  stream_.reset();
  lease_.reset();
  {
    std::lock_guard lock{mutex_};
    (ok ? done_ : failed_) = true;
  }
  progress_.notify_one();
}

ExportJob::Next ExportJob::next_chunk(std::string& out) {
  std::size_t available = 0;
  {
    std::unique_lock lock{mutex_};
    progress_.wait(lock, [this] { return written_ > sent_ || done_ || failed_; });
    available = written_ - sent_;
    if (available == 0) return done_ ? Next::kEnd : Next::kFailed;
  }
  out.resize(std::min(available, kChunkBytes));
  for (std::size_t got = 0; got < out.size();) {
    const ssize_t n = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(sent_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot read an export from its temporary file");
    got += static_cast<std::size_t>(n);
  }
  sent_ += out.size();
  return Next::kChunk;
}

void send_export(const ExportFormat& format, const ExportRequest& request,
                 SearcherPool::Lease lease, HitStream stream, httplib::Response& res) {
  const bool truncated = request.whole && stream.size() < stream.total();
  res.status = 200;
  res.set_header("Content-Disposition", export_disposition(request.search.q, format.extension));
  res.set_header("X-Total-Count", std::to_string(stream.total()));
  res.set_header("X-Export-Rows", std::to_string(stream.size()));
  res.set_header("X-Export-Truncated", truncated ? "true" : "false");
  // Shards left out (server.partial_results): the rows are those of the others.
  if (!stream.missing_shards().empty()) {
    res.set_header("X-Missing-Shards", fmt::format("{}", fmt::join(stream.missing_shards(), ", ")));
  }
  struct Sending {
    Sending(const ExportFormat& f, SearcherPool::Lease l, HitStream s)
        : job(f, std::move(l), std::move(s)) {}
    ExportJob job;
    std::string chunk;
  };
  auto sending = std::make_shared<Sending>(format, std::move(lease), std::move(stream));
  res.set_chunked_content_provider(
      std::string{format.content_type}, [sending](std::size_t, httplib::DataSink& sink) {
        // Nothing may escape: the library writes the body outside its exception handler.
        try {
          switch (sending->job.next_chunk(sending->chunk)) {
            case ExportJob::Next::kChunk: return sink.write(sending->chunk.data(), sending->chunk.size());
            case ExportJob::Next::kEnd: sink.done(); return true;
            case ExportJob::Next::kFailed: return false;
          }
        } catch (const std::exception& e) {
          spdlog::error("export stopped: {}", e.what());
        }
        return false;
      });
}

}  // namespace clippings::http
