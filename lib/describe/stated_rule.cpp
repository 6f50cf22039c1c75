#include "stated_rule.hpp"


#include "sml/io/text.hpp"
#include "word_regex.hpp"

namespace sml::describe {
namespace {

struct Form {
  Regex pattern;
  double weight;
  // A unit after the matched number that makes it a target on the system itself ("under 50 ms",
  // "over 30 fps", "below 2 GB") rather than a condition on the data: such a match is no rule.
  bool system_units;
  // Arithmetic that computes the output value itself ("last year's fee plus the 3% index"): a
  // formula, which gives the number asked for even where the text calls it a forecast.
  bool formula = false;
};

const std::vector<Form>& forms() {
  static const std::vector<Form> f = {
      // A condition on a stated value: "any reading over 8 °C", "if free disk is under 15%",
      // "every transaction over 10,000 EUR", "any freezer reading over -15 °C".
      {table_pattern(R"(\b(if|when|whenever|any|every|each|all)\b[^.;?!]{0,60}?\b(over|above|under|below|exceeds?|exceeding|more than|less than|greater than|higher than|lower than|at least|at most)\s+(€|\$|£)?-?\d[\d,.]*\s*([a-z%°]*))"), 2, true},
      // A keyword to look for, quoted: "contains 'refund' or 'return'".
      {table_pattern(R"(\b(contains?|containing|includes?|including|mentions?|mentioning|has|with)\s+(the\s+)?((key)?words?\s+|phrases?\s+)?['"‘“])"), 2, false},
      // A key two records share, or records joined on one: "the same VAT number", "match each
      // payment to an open invoice by the invoice number".
      {table_pattern(R"(\bsame\s+([a-z-]+\s+){0,2}(number|id|email|e-mail|code|reference|sku|iban|key|postcode)\b)"), 2, false},
      // Exact copies: "the exact same answer has already been posted", "exact duplicates". Equal
      // texts or files are found by comparing them (a hash), not by a model; near-duplicates
      // ("reworded", "similar") are another matter and say so.
      {table_pattern(R"(\bexact(ly)?\s+(the\s+)?same\b|\bexact\s+(duplicates?|copy|copies|matche?s?)\b)"), 2, false},
      {table_pattern(R"(\b(match|matches|matching|matched|join|joins|joined|link|linked|look\s+up)\b[^.;?!]{0,60}?\bby\s+(the\s+|its\s+|their\s+)?([a-z-]+\s+){0,2}(number|id|code|reference|sku|iban|key|email)\b)"), 2, false},
      // Arithmetic on named quantities: "order date plus handling days plus transit days", "add 4%
      // for inflation", "apply the new tariff of 0.31 EUR/kWh".
      {table_pattern(R"(\bplus\b[^.;?!]{0,80}\bplus\b)"), 2, false, true},
      {table_pattern(R"(\b(add|adding|subtract|subtracting|deduct|deducting|minus)\s+\d[\d.,]*\s*(%|percent))"), 2, false, true},
      {table_pattern(R"(\b(multiplied|divided)\s+by\b)"), 2, false, true},
      {table_pattern(R"(\bapply(ing)?\b[^.;?!]{0,40}\d)"), 1.5, false, true},
      // Named fields read from a self-describing file: "parse the JSON files", "extract the line
      // items from UBL XML invoices". Nothing is recognised: the file says what each value is.
      {table_pattern(R"(\b(parse|parses|parsing|parsed|extract|extracts|extracting|read|reads|load|loads)\b[\s\S]{0,120}?\b(json|xml|ubl|yaml)\b|\b(json|xml|ubl|yaml)\b[\s\S]{0,120}?\b(parse|parses|parsing|parsed|extract|extracts|extracting|read|reads|load|loads)\b)"), 2, false},
      // A lookup by a field the items carry: "find the policy PDFs by title, author or any word".
      {table_pattern(R"(\b(find|finds|search|searches|look\s+up|filter|filters)\b[^.;?!]{0,60}?\bby\s+(their\s+|its\s+|the\s+)?(title|author|name|date|id|number|tag|keyword|word|sender|subject|status)\b)"), 2, false},
      // A trigger on a reported state: "switch a room off whenever its window sensor reports open".
      {table_pattern(R"(\b(if|when|whenever|once)\b[^.;?!]{0,50}?\b(reports?|is|goes|turns|becomes)\s+(open|opened|closed|offline|down|empty|paid|overdue|expired|unpaid)\b)"), 2, false},
      // Weaker forms, a rule only with another: copying records into a store, a clock time, a
      // count or a statistic per group.
      {table_pattern(R"(\b(load|loads|loading|push|pushes|sync|syncs|insert|inserts|upload|uploads)\b[^.;?!]{0,40}?\binto\b)"), 1, false},
      {table_pattern(R"(\b(at|from|until|before|after)\s+\d{1,2}(:\d{2})?\s*(am|pm)\b|\b\d{1,2}:\d{2}\b)"), 1, false},
      {table_pattern(R"(\b(count|total|sum|average|mean|median)\s+(of\s+[a-z-]+\s+)?per\b)"), 1, false},
  };
  return f;
}

}  // namespace

StatedRule read_stated_rule(const std::string& text) {
  StatedRule r;
  const std::string t = to_lower(text);
  for (const auto& f : forms()) {
    for (auto it = RegexIterator(t.begin(), t.end(), f.pattern); it != RegexIterator(); ++it) {
      // A condition on something still to come ("whether each customer will spend over 500 EUR")
      // is the target to predict, not a rule on a value the records already carry.
      static const Regex future(R"(\b(will|would|going to|likely|likelihood|probabl\w*|chance|expected|predict\w*|forecast\w*)\b)");
      if (regex_search(it->str(), future)) continue;
      // A threshold on how sure a model is ("tickets classified with confidence of at least 0.95
      // go to the critical queue") acts on what a learnt model gives: it presupposes the model,
      // and states no rule for the output itself.
      static const Regex sure(R"(\b(confiden\w*|certainty|classifier\w*)\b)");
      if (regex_search(it->str(), sure)) continue;
      // What a run of the system may cost ("so that each run costs under $5", "spend at most
      // 200 EUR a month") is a budget on the system, as "under 50 ms" is a latency: no condition
      // on the data. ("Bill" and "pay" are left out: "every bill over 500 EUR" is a record.)
      static const Regex budget(R"(\b(costs?|costing|spend\w*|budget\w*)\b)");
      if (f.system_units && regex_search(it->str(), budget)) continue;
      if (f.system_units) {
        static const Regex system(R"(ms|s|sec|secs|seconds?|milliseconds?|minutes?|mins?|hours?|fps|kb|mb|gb|tb|w|watts?|px|pixels?)");
        if (regex_match((*it)[it->size() - 1].str(), system)) continue;
      }
      r.weight += f.weight;
      r.formula = r.formula || f.formula;
      r.evidence.push_back(it->str().size() <= 60 ? it->str() : it->str().substr(0, 57) + "...");
      break;  // each form counts once
    }
  }
  // Something to learn from: the writer's history or labelled examples, or a word of learning.
  static const Regex examples(
      R"(\b(learn\w*|train|trains|trained|training|label+ed|label+ing|labels|annotat\w*|hand-[a-z]+|by hand|histor\w*|past|examples?|dataset|data set|fine-?tun\w*|(years?|months?|weeks?|winters?|summers?|seasons?)\s+of|(last|previous)\s+(year|month|winter|summer|season)'?s?\s+data)\b)");
  r.examples = regex_search(t, examples);
  // The writer names a rule to say it is what they want replaced ("rather than a fixed schedule",
  // "instead of alerting when the disk is full").
  static const Regex aside(R"(\b(instead of|rather than)\b)");
  r.set_aside = regex_search(t, aside);
  return r;
}

}  // namespace sml::describe
