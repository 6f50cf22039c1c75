// Targets and budgets a statement sets: the accuracy it needs, the energy and the carbon it may spend.
#include "constraint_readers.hpp"

namespace sml::describe {

using number_text::context_before;
using number_text::kNum;
using number_text::number;

void read_accuracy(const std::string& t, Constraints& c) {
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
  const auto flags = Regex::ECMAScript;
  // Accuracy: a percentage next to "accuracy", "accurate", "top-1".
  static const Regex acc1(R"((accuracy|accurate|top-?1|correct|right (?:in |at least |more than |over ))[^.%\d]{0,25}?)" + kNum + R"(\s*(%|percent))", flags);
  // "at least 90% of the tested questions correctly": the items counted may stand between.
  static const Regex acc2(kNum + R"(\s*(%|percent)\s*(top-?1\s*)?([a-z-]+\s+){0,4}?\b(accuracy|accurate|correct|correctly|right)\b)", flags);
  each_match(t, acc1, [&](const Match& m) {
    if (!c.accuracy_min) { c.accuracy_min = number(m, 2) / 100; note(m); }
  });
  each_match(t, acc2, [&](const Match& m) {
    if (!c.accuracy_min) { c.accuracy_min = number(m, 1) / 100; note(m); }
  });
}

void read_budgets(const std::string& t, Constraints& c) {
  auto note = [&](const Match& m) { c.evidence.push_back(m.str()); };
  const auto flags = Regex::ECMAScript;
  // Energy and carbon budgets.
  static const Regex energy(kNum + R"(\s*(kwh|mwh|wh)\b)", flags);
  static const Regex budget_words(R"((budget|under|below|at most|max|maximum|less than|within|limit|cap|no more than|keep))", flags);
  each_match(t, energy, [&](const Match& m) {
    if (c.energy_kwh_max || !context_before(t, static_cast<std::size_t>(m.position()), 40, budget_words)) return;
    const std::string u = m[3].str();
    c.energy_kwh_max = number(m, 1) * (u == "mwh" ? 1000 : u == "wh" ? 0.001 : 1);
    note(m);
  });
  static const Regex co2(kNum + R"(\s*(kg|kilograms?|t|tonnes?|tons?|g|grams?)\s*(of\s+)?(co2e?|co₂e?|carbon|emissions|ghg))", flags);
  each_match(t, co2, [&](const Match& m) {
    if (c.co2e_kg_max) return;
    const std::string u = m[3].str();
    const double unit = u[0] == 'k' ? 1 : u[0] == 't' ? 1000 : 0.001;
    c.co2e_kg_max = number(m, 1) * unit;
    note(m);
  });
}

}  // namespace sml::describe
