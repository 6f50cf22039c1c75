#include "sml/graph/wire.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace sml::wire {

std::string ByteSource::copy(std::size_t offset, std::size_t length) const {
  // Large ranges come in block-sized pieces from file sources; assemble them here.
  std::string out;
  out.reserve(length);
  constexpr std::size_t kPiece = 1 << 20;
  for (std::size_t done = 0; done < length;) {
    const std::size_t n = std::min(kPiece, length - done);
    const std::string_view v = read(offset + done, n);
    out.append(v.data(), v.size());
    done += n;
  }
  return out;
}

namespace {

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  std::size_t size() const override { return bytes_.size(); }
  std::string_view read(std::size_t offset, std::size_t length) const override {
    if (offset > bytes_.size() || length > bytes_.size() - offset)
      throw WireError{offset, "read past the end of the data"};
    return std::string_view(bytes_).substr(offset, length);
  }

 private:
  std::string bytes_;
};

// One cached block, refilled with pread wherever a read falls outside it.
class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::size_t size) : fd_(fd), size_(size) {}
  ~FileSource() override { ::close(fd_); }
  std::size_t size() const override { return size_; }
  std::string_view read(std::size_t offset, std::size_t length) const override {
    if (offset > size_ || length > size_ - offset) throw WireError{offset, "read past the end of the data"};
    if (offset >= block_start_ && offset + length <= block_start_ + block_.size())
      return std::string_view(block_).substr(offset - block_start_, length);
    const std::size_t want = std::max(length, std::min(kBlock, size_ - offset));
    block_.resize(want);
    std::size_t done = 0;
    while (done < want) {
      const ssize_t n = ::pread(fd_, &block_[done], want - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw WireError{offset + done, n < 0 ? std::string("read failed: ") + std::strerror(errno) : "file shrank while reading"};
      done += static_cast<std::size_t>(n);
    }
    block_start_ = offset;
    return std::string_view(block_).substr(0, length);
  }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  int fd_;
  std::size_t size_;
  mutable std::string block_;
  mutable std::size_t block_start_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> memory_source(std::string bytes) { return std::make_unique<MemorySource>(std::move(bytes)); }
std::unique_ptr<ByteSource> file_source(int fd, std::size_t size) { return std::make_unique<FileSource>(fd, size); }

std::uint64_t Reader::read_varint() {
  const std::string_view v = source_->read(pos_, std::min<std::size_t>(10, end_ - pos_));
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto b = static_cast<unsigned char>(v[i]);
    value |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      pos_ += i + 1;
      return value;
    }
  }
  throw WireError{pos_, v.size() < 10 ? "truncated varint" : "varint longer than 10 bytes"};
}

bool Reader::next(Field& f) {
  if (pos_ >= end_) return false;
  const std::uint64_t key = read_varint();
  f.number = static_cast<std::uint32_t>(key >> 3);
  if (f.number == 0) throw WireError{pos_, "field number 0 (not a protobuf message)"};
  f.type = static_cast<WireType>(key & 7);
  f.offset = pos_;
  f.length = 0;
  switch (f.type) {
    case kVarint:
      f.varint = read_varint();
      break;
    case kFixed64:
    case kFixed32: {
      const std::size_t n = f.type == kFixed64 ? 8 : 4;
      if (end_ - pos_ < n) throw WireError{pos_, "truncated fixed-width field"};
      const std::string_view v = source_->read(pos_, n);
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < n; ++i) bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(v[i])) << (8 * i);
      f.varint = bits;
      pos_ += n;
      break;
    }
    case kLengthDelimited: {
      const std::uint64_t len = read_varint();
      if (len > end_ - pos_) throw WireError{pos_, "length " + std::to_string(len) + " runs past the end of its message"};
      f.offset = pos_;
      f.length = static_cast<std::size_t>(len);
      pos_ += f.length;  // skipped, not read
      break;
    }
    default:
      throw WireError{pos_, "unsupported wire type " + std::to_string(key & 7)};
  }
  return true;
}

}  // namespace sml::wire
