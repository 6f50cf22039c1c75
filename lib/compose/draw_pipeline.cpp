#include "draw_pipeline.hpp"

#include <algorithm>
#include <stdexcept>

namespace sml::compose {

unsigned draw_threads() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
}

DrawPipeline::DrawPipeline(std::vector<DrawBlock> blocks, unsigned threads, std::size_t depth)
    : blocks_(std::move(blocks)), depth_(std::max<std::size_t>(1, depth)), slots_(depth_), ready_(depth_, -1) {
  if (blocks_.empty()) return;
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(blocks_.size())));
  try {
    for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
  } catch (...) {
    stop_and_join();  // the ones started
    throw;
  }
}

DrawPipeline::~DrawPipeline() { stop_and_join(); }

void DrawPipeline::stop_and_join() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

void DrawPipeline::work() {
  try {
    while (true) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || claimed_ == blocks_.size() || claimed_ < released_ + depth_; });
        if (stop_ || claimed_ == blocks_.size()) return;
        i = claimed_++;
      }
      const DrawBlock& b = blocks_[i];
      std::vector<char>& slot = slots_[i % depth_];  // no other thread touches it until it is ready
      slot.resize(static_cast<std::size_t>(b.count) * b.stream->value_size());
      b.stream->fill(slot.data(), b.start, b.count);
      {
        std::lock_guard<std::mutex> lock(mu_);
        ready_[i % depth_] = static_cast<std::int64_t>(i);
      }
      cv_.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_) error_ = std::current_exception();
      stop_ = true;
    }
    cv_.notify_all();
  }
}

const std::vector<char>& DrawPipeline::next() {
  std::unique_lock<std::mutex> lock(mu_);
  if (handed_) {  // the block handed out last time is written: its slot is free
    ++released_;
    handed_ = false;
    cv_.notify_all();
  }
  const std::size_t i = released_, slot = i % depth_;
  if (i >= blocks_.size()) throw std::logic_error("DrawPipeline::next past its last block");
  cv_.wait(lock, [&] { return error_ || ready_[slot] == static_cast<std::int64_t>(i); });
  if (error_) std::rethrow_exception(error_);
  ready_[slot] = -1;
  handed_ = true;
  return slots_[slot];
}

}  // namespace sml::compose
