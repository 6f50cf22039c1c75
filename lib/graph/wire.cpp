#include "sml/graph/wire.hpp"

namespace sml::wire {

std::uint64_t Reader::read_varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (pos_ >= data_.size()) throw WireError{position(), "truncated varint"};
    const auto b = static_cast<unsigned char>(data_[pos_++]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw WireError{position(), "varint longer than 10 bytes"};
}

bool Reader::next(Field& f) {
  if (pos_ >= data_.size()) return false;
  const std::uint64_t key = read_varint();
  f.number = static_cast<std::uint32_t>(key >> 3);
  if (f.number == 0) throw WireError{position(), "field number 0 (not a protobuf message)"};
  f.type = static_cast<WireType>(key & 7);
  f.bytes = {};
  switch (f.type) {
    case kVarint:
      f.varint = read_varint();
      break;
    case kFixed64:
    case kFixed32: {
      const std::size_t n = f.type == kFixed64 ? 8 : 4;
      if (data_.size() - pos_ < n) throw WireError{position(), "truncated fixed-width field"};
      std::uint64_t v = 0;
      for (std::size_t i = 0; i < n; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
      f.varint = v;
      f.offset = position();
      pos_ += n;
      break;
    }
    case kLengthDelimited: {
      const std::uint64_t len = read_varint();
      if (len > data_.size() - pos_)
        throw WireError{position(), "length " + std::to_string(len) + " runs past the end of the data"};
      f.offset = position();
      f.bytes = data_.substr(pos_, static_cast<std::size_t>(len));
      pos_ += static_cast<std::size_t>(len);
      break;
    }
    default:
      throw WireError{position(), "unsupported wire type " + std::to_string(key & 7)};
  }
  return true;
}

}  // namespace sml::wire
