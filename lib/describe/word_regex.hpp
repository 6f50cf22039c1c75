// The regular expressions of the describe readers: PCRE2 (JIT) behind the shape of std::regex's
// interface, so that the readers keep their ECMAScript patterns and their call sites.
#pragma once
#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sml::describe {

// Why not std::regex: libstdc++'s backtracking executor was the largest cost of reading a
// statement once the patterns were compiled (perf of the describe fuzz harness: parse_constraints
// 36%, nearly all of it std::regex), it recurses once per character matched (a long hostile text
// can exhaust the stack) and has no bound on backtracking (issue 20). PCRE2 compiles a pattern it
// keeps searching to machine code (JIT) and stops a search after a set amount of work.
//
// The patterns are written in ECMAScript's syntax and must keep their meaning. PCRE2 reads the
// constructs they use the same way, given these options (word_regex.cpp):
// - no UTF: bytes are characters, as std::regex<char> sees them; the UTF-8 of "→" or "₂" is
//   matched byte by byte in both;
// - the built-in "C" locale tables: \w = [A-Za-z0-9_], \d = [0-9], \s = [ \t\n\v\f\r], \b between
//   \w and not \w, case folding of A-Z only: std::regex under the "C" locale (no tool sets another);
// - PCRE2_DOLLAR_ENDONLY: $ only at the very end (PCRE2's $ also matches before a final newline);
// - newline convention ANYCRLF: neither \n nor \r is matched by '.' (ECMAScript's rule; none of
//   our patterns uses '.' outside a bracket today, but a new one might);
// - Regex::icase gives PCRE2_CASELESS.
// Differences to watch in a new pattern: \uXXXX (libstdc++ keeps the low byte; PCRE2 refuses it:
// write \xHH), \v (ECMAScript: vertical tab; PCRE2: any vertical space), \h \R \K \Q \E \A \z \G
// \p (PCRE2 escapes; letters in ECMAScript), backreferences to groups that did not take part
// (ECMAScript: empty; PCRE2: fail), [^] (ECMAScript: any character; PCRE2: an error). The unit
// suite (describe regex) pins the semantics the readers rely on.
//
// Each search does a bounded amount of work (kMatchLimit steps of PCRE2's matcher). A search that
// reaches it answers "no match" (an iterator ends there) and counts in match_limit_hits(): a text
// so hostile that one pattern cannot decide about it within the bound reads as if the pattern were
// absent, and nothing hangs.
class Regex {
 public:
  // ECMAScript and optimize are what the call sites asked of std::regex; both are the default here.
  enum Flag : unsigned { ECMAScript = 0, optimize = 0, icase = 1u };
  Regex() = default;
  Regex(const std::string& pattern, unsigned flags = ECMAScript);  // NOLINT: implicit, as std::regex's
  Regex(const char* pattern, unsigned flags = ECMAScript) : Regex(std::string(pattern), flags) {}  // NOLINT
  // How many capturing groups the pattern has.
  std::size_t mark_count() const;

 private:
  struct Code;
  std::shared_ptr<Code> code_;  // compiled once; copies share it
  friend struct RegexEngine;
};

// One group of a match: where it lies in the searched text, or matched == false.
struct SubMatch {
  std::string::const_iterator first, second;
  bool matched = false;
  std::string str() const { return matched ? std::string(first, second) : std::string(); }
  std::ptrdiff_t length() const { return matched ? second - first : 0; }
  operator std::string() const { return str(); }  // NOLINT: as std::sub_match
};

// The result of a search, as std::smatch: group 0 the whole match, positions counted from the
// start of the text searched (for an iterator, the start of its range).
class Match {
 public:
  bool empty() const { return groups_.empty(); }
  bool ready() const { return ready_; }
  std::size_t size() const { return groups_.size(); }
  const SubMatch& operator[](std::size_t n) const { return n < groups_.size() ? groups_[n] : unmatched_; }
  std::string str(std::size_t n = 0) const { return (*this)[n].str(); }
  std::ptrdiff_t position(std::size_t n = 0) const { return (*this)[n].first - begin_; }
  std::ptrdiff_t length(std::size_t n = 0) const { return (*this)[n].length(); }
  // The text before and after the whole match (within the text searched).
  SubMatch prefix() const { return {begin_, groups_.empty() ? begin_ : groups_[0].first, !groups_.empty()}; }
  SubMatch suffix() const { return {groups_.empty() ? end_ : groups_[0].second, end_, !groups_.empty()}; }

 private:
  std::string::const_iterator begin_, end_;
  std::vector<SubMatch> groups_;
  SubMatch unmatched_;
  bool ready_ = false;
  friend struct RegexEngine;
};

// As std::regex_search / std::regex_match (whole text) on a string. A Match refers to the text, so
// the text must outlive it (a temporary is refused, as std::regex_search refuses it).
bool regex_search(const std::string& text, Match& m, const Regex& re);
bool regex_search(const std::string& text, const Regex& re);
bool regex_search(std::string&&, Match&, const Regex&) = delete;
bool regex_match(const std::string& text, Match& m, const Regex& re);
bool regex_match(const std::string& text, const Regex& re);
bool regex_match(std::string&&, Match&, const Regex&) = delete;

// Every match in [first, last), left to right, as std::regex_iterator: after an empty match the
// next search first asks for a non-empty match at the same place, then moves one character on;
// \b and lookarounds see the characters outside the last match, ^ matches only at FIRST.
class RegexIterator {
 public:
  using value_type = Match;
  using reference = const Match&;
  using pointer = const Match*;
  using difference_type = std::ptrdiff_t;
  using iterator_category = std::forward_iterator_tag;
  RegexIterator() = default;  // the end
  RegexIterator(std::string::const_iterator first, std::string::const_iterator last, const Regex& re);
  RegexIterator(std::string::const_iterator, std::string::const_iterator, Regex&&) = delete;
  const Match& operator*() const { return match_; }
  const Match* operator->() const { return &match_; }
  RegexIterator& operator++();
  // Two iterators are equal when both are at the end (all that the loops ask).
  bool operator==(const RegexIterator& o) const { return re_ == nullptr && o.re_ == nullptr; }
  bool operator!=(const RegexIterator& o) const { return !(*this == o); }

 private:
  std::string::const_iterator first_, last_;
  const Regex* re_ = nullptr;
  Match match_;
};

// A pattern of a rule table, compiled once and searched many times.
inline Regex table_pattern(const char* p) { return Regex(p); }

// How many searches stopped at the match limit in this process (for tests and diagnostics).
std::size_t match_limit_hits();

}  // namespace sml::describe
