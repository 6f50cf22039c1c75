// PCRE2 behind the describe readers' Regex (why, and which options keep ECMAScript's meaning:
// word_regex.hpp).
#include "word_regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <atomic>
#include <stdexcept>

namespace sml::describe {
namespace {

// Steps of PCRE2's matcher one search may take (its default is 10^7). No search of sml-describe's
// readers over the 1,177 validation statements and the 1,048 kept fuzz inputs reaches it
// (2026-12-06, match_limit_hits() after describe_input on each: 0), and their answers equal
// std::regex's (bench/compare_describe.sh); a backtracking pattern on a long hostile text stops here
// after milliseconds instead of running on.
constexpr uint32_t kMatchLimit = 1'000'000;
std::atomic<std::size_t> limit_hits{0};

// Per thread: the match context (limit, JIT stack) and a match block big enough for any pattern.
struct ThreadState {
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  pcre2_match_data* data = nullptr;
  uint32_t pairs = 0;
  ThreadState() {
    context = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(context, kMatchLimit);
    // JIT's default stack is 32 KiB; bounded repeats such as [^.;]{0,200}? want more on long texts.
    jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    if (jit_stack) pcre2_jit_stack_assign(context, nullptr, jit_stack);
  }
  ~ThreadState() {
    pcre2_match_data_free(data);
    pcre2_jit_stack_free(jit_stack);
    pcre2_match_context_free(context);
  }
  pcre2_match_data* block(uint32_t need) {
    if (need > pairs) {
      pcre2_match_data_free(data);
      pairs = need < 32 ? 32 : need;
      data = pcre2_match_data_create(pairs, nullptr);
      if (!data) throw std::bad_alloc();
    }
    return data;
  }
};

ThreadState& state() {
  thread_local ThreadState s;
  return s;
}

}  // namespace

// A pattern is compiled for PCRE2's interpreter at once and to machine code (JIT) only once it has
// been searched kJitAfter times: JIT-compiling all ~300 patterns cost 36 M instructions, a fifth of
// a one-statement sml-describe run (callgrind, 2026-12-06), more than interpreting the few
// searches most patterns get there; a long-running reader (the fuzz harness, a test suite) gets
// machine code for every pattern it keeps using. The JIT code is a copy, published when complete,
// so a thread searching meanwhile never sees a half-compiled pattern. Both give the same answers.
constexpr uint32_t kJitAfter = 32;

struct Regex::Code {
  pcre2_code* code = nullptr;             // the interpreter's
  std::atomic<pcre2_code*> jit{nullptr};  // the same pattern with machine code, once compiled
  std::atomic<uint32_t> uses{0};
  uint32_t captures = 0;
  ~Code() {
    pcre2_code_free(jit.load());
    pcre2_code_free(code);
  }
  const pcre2_code* for_search() {
    if (pcre2_code* j = jit.load(std::memory_order_acquire)) return j;
    if (uses.fetch_add(1, std::memory_order_relaxed) + 1 == kJitAfter) {
      pcre2_code* copy = pcre2_code_copy(code);
      // Without JIT support (no executable memory) the copy stays interpreted: same answers.
      if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) == 0) {
        jit.store(copy, std::memory_order_release);
        return copy;
      }
      pcre2_code_free(copy);
    }
    return code;
  }
};

Regex::Regex(const std::string& pattern, unsigned flags) {
  auto c = std::make_shared<Code>();
  uint32_t options = PCRE2_DOLLAR_ENDONLY;
  if (flags & icase) options |= PCRE2_CASELESS;
  pcre2_compile_context* cc = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
  int error = 0;
  PCRE2_SIZE offset = 0;
  c->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error, &offset, cc);
  pcre2_compile_context_free(cc);
  if (!c->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw std::invalid_argument("bad regular expression at offset " + std::to_string(offset) + ": " +
                                reinterpret_cast<const char*>(message));
  }
  pcre2_pattern_info(c->code, PCRE2_INFO_CAPTURECOUNT, &c->captures);
  code_ = std::move(c);
}

std::size_t Regex::mark_count() const { return code_ ? code_->captures : 0; }

std::size_t match_limit_hits() { return limit_hits.load(std::memory_order_relaxed); }

struct RegexEngine {
  // Searches [BEGIN, END) from offset START for RE; on a match fills M where given (positions from
  // BEGIN). A search stopped by a limit is no match, and counted.
  static bool run(const Regex& re, std::string::const_iterator begin, std::string::const_iterator end, std::size_t start,
                  uint32_t options, Match* found) {
    if (found) {
      found->begin_ = begin;
      found->end_ = end;
      found->groups_.clear();
      found->ready_ = true;
    }
    if (!re.code_) return false;
    const auto len = static_cast<std::size_t>(end - begin);
    static const char nothing = 0;
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(len ? &*begin : &nothing);
    ThreadState& s = state();
    pcre2_match_data* data = s.block(re.code_->captures + 1);
    int rc = pcre2_match(re.code_->for_search(), subject, len, start, options, data, s.context);
    // JIT's stack is bounded; the interpreter keeps its frames on the heap (20 MB by default).
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT) rc = pcre2_match(re.code_->code, subject, len, start, options, data, s.context);
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    if (rc < 0) {
      limit_hits.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (!found) return true;
    Match& m = *found;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
    const std::size_t groups = re.code_->captures + 1;
    m.groups_.resize(groups);
    for (std::size_t g = 0; g < groups; ++g) {
      SubMatch& sub = m.groups_[g];
      // Groups past rc did not take part (PCRE2 leaves their pairs unset).
      if (g < static_cast<std::size_t>(rc) && ov[2 * g] != PCRE2_UNSET) {
        sub.first = begin + static_cast<std::ptrdiff_t>(ov[2 * g]);
        sub.second = begin + static_cast<std::ptrdiff_t>(ov[2 * g + 1]);
        sub.matched = true;
      } else {
        sub.first = sub.second = end;  // std::smatch's convention for a group that did not match
        sub.matched = false;
      }
    }
    m.unmatched_.first = m.unmatched_.second = end;
    return true;
  }
};

bool regex_search(const std::string& text, Match& m, const Regex& re) {
  return RegexEngine::run(re, text.begin(), text.end(), 0, 0, &m);
}

bool regex_search(const std::string& text, const Regex& re) { return RegexEngine::run(re, text.begin(), text.end(), 0, 0, nullptr); }

// A whole-text match: anchored at both ends (the interpreter runs these; they are few and short).
bool regex_match(const std::string& text, Match& m, const Regex& re) {
  return RegexEngine::run(re, text.begin(), text.end(), 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, &m);
}

bool regex_match(const std::string& text, const Regex& re) {
  return RegexEngine::run(re, text.begin(), text.end(), 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, nullptr);
}

RegexIterator::RegexIterator(std::string::const_iterator first, std::string::const_iterator last, const Regex& re)
    : first_(first), last_(last), re_(&re) {
  if (!RegexEngine::run(re, first_, last_, 0, 0, &match_)) re_ = nullptr;
}

// As std::regex_iterator::operator++ (ECMAScript): after an empty match, a non-empty match at the
// same place, else a search from the next character.
RegexIterator& RegexIterator::operator++() {
  if (!re_) return *this;
  auto start = static_cast<std::size_t>(match_[0].second - first_);
  if (match_[0].first == match_[0].second) {
    if (match_[0].second == last_) {
      re_ = nullptr;
      return *this;
    }
    if (RegexEngine::run(*re_, first_, last_, start, PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED, &match_)) return *this;
    ++start;
  }
  if (!RegexEngine::run(*re_, first_, last_, start, 0, &match_)) re_ = nullptr;
  return *this;
}

}  // namespace sml::describe
