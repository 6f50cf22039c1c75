// The regular expression type of the describe readers: std::regex with the word class cached.
#pragma once
#include <iterator>
#include <locale>
#include <regex>
#include <string>

namespace sml::describe {

// libstdc++'s matcher decides every \b by calling lookup_classname("w") and isctype on the
// characters either side, and each call looks up the locale's ctype facet (a dynamic_cast) and
// lookup_classname also searches the class-name table: 32% of the instructions of classifying and
// reading the validation statements (callgrind, 2026-12-06), the readers being \b-heavy. These
// traits answer the word class from values fetched once per regex; every other class goes to
// std::regex_traits. The answers are the same: the word class is alnum or '_' (libstdc++'s
// definition), asked of the same facet.
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
    return std::regex_traits<char>::isctype(c, f);
  }

 private:
  void cache() {
    static const char w[] = "w";
    word_ = std::regex_traits<char>::lookup_classname(w, w + 1);
    ctype_ = &std::use_facet<std::ctype<char>>(getloc());
  }
  char_class_type word_{};
  const std::ctype<char>* ctype_ = nullptr;
};

using Regex = std::basic_regex<char, WordCachedTraits>;
using RegexIterator = std::regex_iterator<std::string::const_iterator, char, WordCachedTraits>;

// A pattern of a rule table, compiled once and searched many times (hence optimize).
inline Regex table_pattern(const char* p) { return Regex(p, Regex::ECMAScript | Regex::optimize); }

}  // namespace sml::describe
