// The describe readers' regular expressions (lib/describe/word_regex.hpp): PCRE2 with options that
// keep the ECMAScript meaning the patterns were written for (std::regex under the "C" locale).
// Every expectation is worked out by hand from ECMAScript's rules (ECMA-262 §22.2) and
// std::regex_iterator's (C++ [re.regiter.incr]).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../../lib/describe/word_regex.hpp"

using sml::describe::Match;
using sml::describe::Regex;
using sml::describe::RegexIterator;

namespace {
// (position, length) of every match of RE in TEXT, as the readers' loops walk them.
std::vector<std::pair<long, long>> all(const std::string& text, const Regex& re) {
  std::vector<std::pair<long, long>> out;
  for (auto it = RegexIterator(text.begin(), text.end(), re); it != RegexIterator(); ++it) out.emplace_back(it->position(), it->length());
  return out;
}
using Spans = std::vector<std::pair<long, long>>;
}  // namespace

TEST_SUITE("describe-regex") {
  TEST_CASE("\\b, \\w, \\s and \\d are the \"C\" locale's ASCII classes") {
    Match m;
    std::string s;  // the text searched: a Match refers to it
    // "concat" has no boundary before its "cat"; the second "cat" starts at 7.
    REQUIRE(regex_search(s = "concat cat.", m, Regex(R"(\bcat\b)")));
    CHECK(m.position() == 7);
    CHECK_FALSE(regex_search(std::string("cat_s"), Regex(R"(\bcat\b)")));  // '_' is a word character
    // A byte of UTF-8 is no word character: "café" ends a word after "caf".
    CHECK(regex_search(std::string("caf\xC3\xA9"), Regex(R"(\bcaf\b)")));
    CHECK_FALSE(regex_search(std::string("a\xC2\xA0" "b"), Regex(R"(a\s+b)")));  // no-break space is not \s
    CHECK(regex_search(std::string("a\t\v\f\r\n b"), Regex(R"(^a\s+b$)")));
    CHECK_FALSE(regex_search(std::string("\xD9\xA3"), Regex(R"(\d)")));  // Arabic-Indic three
  }

  TEST_CASE("$ only at the very end; ^ only at the start of the text, also when iterating") {
    CHECK_FALSE(regex_search(std::string("ab\n"), Regex("ab$")));  // PCRE2's default would match
    CHECK(regex_search(std::string("xab"), Regex("ab$")));
    CHECK(all("aaa", Regex("^a")) == Spans{{0, 1}});
    // The second "b" follows a space: \b holds there though the search resumes after the first match.
    CHECK(all("ab b", Regex(R"(\bb)")) == Spans{{3, 1}});
  }

  TEST_CASE("icase only where asked") {
    CHECK(regex_search(std::string("xABCx"), Regex("abc", Regex::icase)));
    CHECK_FALSE(regex_search(std::string("xABCx"), Regex("abc")));
    CHECK(regex_search(std::string("Slow / FAST / ok"), Regex(R"([a-z]+(\s*/\s*[a-z]+){2})", Regex::icase)));
  }

  TEST_CASE("lookahead, lazy and greedy quantifiers") {
    Match m;
    std::string s;  // the text searched: a Match refers to it
    // "20" is followed by " ms", so \d+ gives back its "0": the match is "2" at 0.
    REQUIRE(regex_search(s = "20 ms 30 s", m, Regex(R"(\d+(?!\s*ms))")));
    CHECK(m.position() == 0);
    CHECK(m.str() == "2");
    REQUIRE(regex_search(s = "a, bc,", m, Regex(R"(\w+(?=,))")));
    CHECK(m.str() == "a");
    REQUIRE(regex_search(s = "aXbYb", m, Regex("a[A-Z]*?b")));
    CHECK(m.str() == "aXb");
    REQUIRE(regex_search(s = "aXbYb", m, Regex("a[A-Za-z]*b")));
    CHECK(m.str() == "aXbYb");
    REQUIRE(regex_search(s = "one two three four", m, Regex(R"(^([a-z]+\s+){0,3}?t)")));
    CHECK(m.str() == "one t");  // the fewest words that reach a 't'
  }

  TEST_CASE("captures: positions, groups that took no part, prefix and suffix") {
    Match m;
    std::string s;  // the text searched: a Match refers to it
    REQUIRE(regex_search(s = "about 12 apples", m, Regex(R"((\d+)\s*(k)?)")));
    CHECK(m.size() == 3);
    CHECK(m.str(1) == "12");
    CHECK(m.position(1) == 6);
    CHECK_FALSE(m[2].matched);
    CHECK(m[2].str().empty());
    const std::string text = "x 12k y";
    REQUIRE(regex_search(text, m, Regex(R"((\d+)(k))")));
    CHECK(m.suffix().str() == " y");
    CHECK(m.prefix().str() == "x ");
    CHECK(m.length() == 3);
    // The last iteration of a repeated group is what it captured.
    REQUIRE(regex_search(s = "red, green, blue", m, Regex(R"(([a-z]+)(,\s*([a-z]+))+)")));
    CHECK(m.str(3) == "blue");
  }

  TEST_CASE("whole-text matches backtrack into alternatives") {
    CHECK(regex_match(std::string("abc"), Regex("a|abc")));
    CHECK_FALSE(regex_match(std::string("abcd"), Regex("abc")));
    CHECK_FALSE(regex_match(std::string("xabc"), Regex("abc")));
  }

  TEST_CASE("empty matches while iterating, as std::regex_iterator") {
    // x* over "axb": empty at 0; no non-empty match at 0, so from 1: "x"; empty at 2; no
    // non-empty at 2, so from 3: empty at the end, and no further.
    CHECK(all("axb", Regex("x*")) == Spans{{0, 0}, {1, 1}, {2, 0}, {3, 0}});
    // After an empty match a non-empty one at the same place comes first: (?=a)|a over "aa".
    CHECK(all("aa", Regex("(?=a)|a")) == Spans{{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    CHECK(all("", Regex("x*")) == Spans{{0, 0}});
  }

  TEST_CASE("a search that backtracks past the limit is no match, and counted") {
    // (a+)+b before "!b" tries every split of the a's: 2^40 ways, far past the limit.
    const std::string hostile = std::string(40, 'a') + "!b";
    const auto before = sml::describe::match_limit_hits();
    CHECK_FALSE(regex_search(hostile, Regex("(a+)+b")));
    CHECK(sml::describe::match_limit_hits() > before);
    CHECK(all(hostile, Regex("(a+)+b")).empty());
    // The same pattern where a match exists quickly is found as ever.
    CHECK(regex_search(std::string("aab"), Regex("(a+)+b")));
    // Also once searched often enough to be compiled to machine code (word_regex.cpp: kJitAfter).
    const Regex bomb("(a+)+b");
    for (int i = 0; i < 40; ++i) CHECK_FALSE(regex_search(hostile, bomb));
    CHECK(regex_search(std::string("aab"), bomb));
  }

  TEST_CASE("the same answers after a pattern is compiled to machine code") {
    const Regex empties("x*"), ahead(R"(\d+(?!\s*ms))"), dollar("ab$");
    for (int i = 0; i < 40; ++i) {  // past kJitAfter searches of each
      CHECK(all("axb", empties) == Spans{{0, 0}, {1, 1}, {2, 0}, {3, 0}});
      CHECK(all("20 ms 30 s", ahead) == Spans{{0, 1}, {6, 2}});
      CHECK_FALSE(regex_search(std::string("ab\n"), dollar));
    }
  }

  TEST_CASE("a pattern that does not compile is refused") {
    CHECK_THROWS_AS(Regex("(abc"), std::invalid_argument);
  }
}
