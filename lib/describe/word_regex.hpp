// The regular expression type of the describe readers: std::regex with the character classes cached.
#pragma once
#include <array>
#include <bitset>
#include <iterator>
#include <locale>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace sml::describe {

// libstdc++'s matcher decides every \b by calling lookup_classname("w") and isctype on the
// characters either side, and each call looks up the locale's ctype facet (a dynamic_cast) and
// lookup_classname also searches the class-name table: 32% of the instructions of classifying and
// reading the validation statements (callgrind, 2026-12-06), the readers being \b-heavy. These
// traits answer the word class from values fetched once per regex; every other class goes to
// std::regex_traits. The answers are the same: the word class is alnum or '_' (libstdc++'s
// definition), asked of the same facet.
//
// Compiling a pattern cost more than matching it: sml-describe compiles its ~300 patterns once per
// process, and libstdc++ readies every bracket expression and every \s, \d, \w outside brackets
// by asking all 256 characters whether they match, each time calling isctype (a facet lookup) and
// transform_primary (two facet lookups, a vector and strxfrm), though no pattern of ours has an
// equivalence class: 47% of the instructions of one sml-describe run (callgrind, 2026-12-06). Both
// answers depend only on the locale, the class and the character, so they are kept per thread and
// locale and asked of std::regex_traits once per (class, character) and per character.
class WordCachedTraits : public std::regex_traits<char> {
 public:
  WordCachedTraits() { cache(); }
  WordCachedTraits(const WordCachedTraits& other) : std::regex_traits<char>(other) { cache(); }
  WordCachedTraits& operator=(const WordCachedTraits& other) {
    std::regex_traits<char>::operator=(other);
    cache();
    return *this;
  }
  locale_type imbue(locale_type loc) {
    locale_type old = std::regex_traits<char>::imbue(loc);
    cache();
    return old;
  }
  template <typename It>
  char_class_type lookup_classname(It first, It last, bool icase = false) const {
    if (!icase && std::distance(first, last) == 1 && *first == 'w') return word_;
    return std::regex_traits<char>::lookup_classname(first, last, icase);
  }
  bool isctype(char c, char_class_type f) const {
    if (f == word_) return ctype_->is(std::ctype_base::alnum, c) || c == ctype_->widen('_');
    const auto u = static_cast<unsigned char>(c);
    for (const auto& [cls, set] : answers_->classes)
      if (cls == f) return set[u];
    std::bitset<256> set;
    for (int i = 0; i < 256; ++i) set[static_cast<std::size_t>(i)] = std::regex_traits<char>::isctype(static_cast<char>(i), f);
    answers_->classes.emplace_back(f, set);
    return set[u];
  }
  template <typename It>
  string_type transform_primary(It first, It last) const {
    if (std::distance(first, last) != 1) return std::regex_traits<char>::transform_primary(first, last);
    const auto u = static_cast<unsigned char>(*first);
    if (!answers_->primary_known[u]) {
      answers_->primary[u] = std::regex_traits<char>::transform_primary(first, last);
      answers_->primary_known[u] = true;
    }
    return answers_->primary[u];
  }

 private:
  // What std::regex_traits answered under one locale (facets never change once a locale exists).
  struct Answers {
    std::locale loc;
    std::vector<std::pair<char_class_type, std::bitset<256>>> classes;
    std::array<string_type, 256> primary;
    std::bitset<256> primary_known;
  };
  void cache() {
    static const char w[] = "w";
    word_ = std::regex_traits<char>::lookup_classname(w, w + 1);
    ctype_ = &std::use_facet<std::ctype<char>>(getloc());
    // Per thread, so that threads compiling patterns never share a table being filled.
    thread_local std::vector<std::shared_ptr<Answers>> by_locale;
    const locale_type loc = getloc();
    for (const auto& a : by_locale)
      if (a->loc == loc) {
        answers_ = a;
        return;
      }
    by_locale.push_back(std::make_shared<Answers>());
    by_locale.back()->loc = loc;
    answers_ = by_locale.back();
  }
  char_class_type word_{};
  const std::ctype<char>* ctype_ = nullptr;
  std::shared_ptr<Answers> answers_;
};

using Regex = std::basic_regex<char, WordCachedTraits>;
using RegexIterator = std::regex_iterator<std::string::const_iterator, char, WordCachedTraits>;

// A pattern of a rule table, compiled once and searched many times (hence optimize).
inline Regex table_pattern(const char* p) { return Regex(p, Regex::ECMAScript | Regex::optimize); }

}  // namespace sml::describe
