// Stage 4: ranking. Quality is compared only between candidates whose figures are on the same
// metric and the same data set. Among those that fit, the efficient rule takes every candidate
// within the tolerance of the best quality as good enough and orders them by life-cycle CO2e,
// cheapest first; the quality rule orders by quality (the cheapest first among equals). Known fits
// come before unknown ones, unknown before known misfits; direct candidates before transfers; a
// core with pretrained weights (fine-tuning: knowledge recycled) before one trained from scratch.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "sml/suggest/pipeline.hpp"

namespace sml::suggest {
namespace {

// Known to fit; unknown only for want of a device or activation figure; unknown because the
// model's own size is missing (it cannot be checked anywhere); known not to fit here (too slow,
// too big: a budget or another device could change that); known not to do the task at all (the
// wrong languages), which no setting changes, so it never stands before a near miss.
int tier(const Candidate& c) {
  return c.fits == Fit::kYes ? 0 : c.fits == Fit::kNo ? (c.wrong_kind ? 4 : 3) : c.model_unknown ? 2 : 1;
}

// Signed so that higher is better.
double score(const catalog::Quality& q) { return q.higher_is_better ? q.value : -q.value; }

std::string group_of(const Candidate& c) { return c.quality && c.transfer_from.empty() ? benchmark_of(*c.quality) : ""; }

// Points for fractions ("0.9 pt" of top-1, "0.53 pt" of WER), the metric's own units otherwise (a
// relative WQL of 0.66 is a ratio to a baseline's error, not 66 points of anything).
std::string gap_text(double gap, const catalog::Quality& q) {
  const bool fraction = q.scale == "fraction" || (q.scale.empty() && q.higher_is_better);
  return fraction ? fmt_num(100 * gap) + " pt" : fmt_num(gap) + " " + q.metric;
}

std::string times(double a, double b) {
  if (b <= 0 || a <= 0) return "";
  const double r = a / b;
  return r >= 1.05 ? fmt_num(r) + "x less" : r <= 1 / 1.05 ? fmt_num(1 / r) + "x more" : "about the same";
}

// The tolerance that takes in a candidate GAP below the reference R (--quality-tolerance, or
// --error-tolerance on a lower-is-better metric): the gap itself on a [0, 1] metric where higher is
// better, else as a fraction of the reference's value; rounded up at three decimals so that the
// printed value does take it in.
double tolerance_to_include(double gap, const catalog::Quality& r) {
  const double t = (r.scale.empty() && r.higher_is_better) || r.value == 0 ? gap : gap / std::fabs(r.value);
  return std::ceil(t * 1000 - 1e-9) / 1000;
}

// The good-enough band below a reference R. Where higher is better on [0, 1] (top-1, mAP), points
// (--quality-tolerance); on other higher-is-better scales, that fraction of R's value. Where lower
// is better (an error rate, a perplexity, an MSE), a fraction of R's value (--error-tolerance):
// errors compare as ratios (a WER of 3.4 against 2.9 is 17% more errors, whatever the scale), and
// the evidence for the default is about ratios (sml-suggest(1), Ranking).
double band_of(const catalog::Quality& r, const RankOptions& o) {
  if (!r.higher_is_better) return o.error_tolerance * std::fabs(r.value);
  return r.scale.empty() ? o.tolerance : o.tolerance * std::fabs(r.value);
}

}  // namespace

std::optional<double> Candidate::lifecycle_co2() const {
  const auto train = training_co2();
  if (!train) return std::nullopt;
  return *train + serving_co2.value_or(0);
}

double Candidate::cost_for_rank() const {
  if (auto co2 = lifecycle_co2()) return *co2;
  return INFINITY;
}

std::optional<double> Candidate::device_s_per_day() const {
  if (!latency_s || !queries_per_day) return std::nullopt;
  return *latency_s * *queries_per_day;
}

// Where the serving energy is unknown (the device, or the region, has no figure), life-cycle CO2e
// is training alone: adding a known training cost to an unknown serving one of "0" ranks by the
// cheaper fine-tune and ignores what the deployment runs every day (on the Pis, before they had a
// power figure, ConvNeXt-T came before a MobileNet 20x faster). All candidates serve on the one
// device, so their serving energies are the device's power times their device time, a common
// unknown factor: device time per day (latency × the load each is costed on) orders them exactly
// as their serving energy would. It cannot be added to a training CO2e, so it leads and training
// breaks ties. Serving leads because over a deployment's life inference is most of an ML system's
// energy (Patterson et al. 2022, "The Carbon Footprint of Machine Learning Training Will Plateau,
// Then Shrink": three fifths of Google's ML energy 2019-21 was inference; Wu et al. 2022,
// "Sustainable AI": a similar split at Meta).
namespace {
bool rank_by_device_time(const std::vector<Candidate>& cands) {
  return std::any_of(cands.begin(), cands.end(), [](const Candidate& c) { return c.device_s_per_day() && !c.serving_co2; });
}
}  // namespace

namespace {
std::string rank(std::vector<Candidate>& cands, const RankOptions& o, bool name_trade);
}

std::string rank_candidates(std::vector<Candidate>& cands, const RankOptions& o) { return rank(cands, o, true); }

namespace {
// NAME_TRADE: name the cheaper trade below the band on the first pick, checked by ranking a copy
// under the tolerance that takes it in (without naming, so once).
std::string rank(std::vector<Candidate>& cands, const RankOptions& o, bool name_trade) {
  // The cost the ranking compares: life-cycle CO2e, or device time where serving energy is unknown
  // (rank_by_device_time above); unknown costs after known ones.
  const bool by_time = rank_by_device_time(cands);
  const std::string cost_name = by_time ? "serving device time" : "life-cycle CO2e";
  auto cost = [by_time](const Candidate& c) -> double {
    if (!by_time) return c.cost_for_rank();
    const auto t = c.device_s_per_day();
    return t ? *t : INFINITY;
  };
  // The comparison group: a benchmark the task's description names (text generation: "MMLU", not
  // the LAMBADA of the older models that happen to be more numerous); among those, the metric and
  // data set shared by the most candidates that fit (then by the most candidates at all).
  const std::set<std::string> task_words = word_set(o.task_text);
  std::map<std::string, std::tuple<int, int, int>> count;
  for (const auto& c : cands)
    if (auto g = group_of(c); !g.empty()) {
      std::get<0>(count[g]) = named_by_task(*c.quality, task_words);
      std::get<1>(count[g]) += c.fits == Fit::kYes;
      std::get<2>(count[g]) += 1;
    }
  // A benchmark only one candidate has compares it with none. The band's premise is a gap to the
  // best measured alternative; a lone figure has none, so "within the tolerance of the best on its
  // benchmark" holds of it whatever it scores, and as good enough it went before every candidate
  // measured against others whenever it was cheaper, while a model with no published figure
  // ranks after them: a figure no one else has counted for more than none. It is ranked as the
  // unplaced are, by cost after the placed (choose_benchmarks has already placed every candidate
  // on a figure it shares where it has one). CLIP's zero-shot ImageNet top-1 put an image model
  // first for text zero-shot requests; TinyLlama's HellaSwag, a 1.1 B model first for assistants
  // where 7-8 B models are measured on MMLU. A benchmark the task's description names is kept even
  // alone: it is the measure the task asks for, and the others' figures are not (the rule below).
  std::set<std::string> lone;
  for (auto it = count.begin(); it != count.end();)
    if (std::get<2>(it->second) < 2 && !std::get<0>(it->second)) {
      lone.insert(it->first);
      it = count.erase(it);
    } else {
      ++it;
    }
  std::string group;
  std::tuple<int, int, int> most{-1, -1, -1};
  for (const auto& [g, n] : count)
    if (n > most) { group = g; most = n; }
  for (auto& c : cands) c.comparable = !group.empty() && group_of(c) == group;
  // Candidates whose qualities are on other metrics or data sets cannot be placed against the
  // comparison group's, in either direction; the size of a group says nothing about its quality
  // (PatchTST's MSE on ETTh1 against Chronos' relative WQL: one member against two). So where the
  // task names no benchmark, each other group gets its own band and its good-enough candidates
  // are ranked with the comparison group's by cost alone (efficient ranking only: ranking on
  // quality needs one scale). Quality is never compared across groups; cost is the one figure all
  // candidates share. Where the task names a benchmark, the others stay behind it, as asked.
  const bool across = o.mode != "quality" && !group.empty() && std::get<0>(most) == 0;

  // The reference the band counts from: the best quality of group G among the candidates of the
  // best fit tier that has any, passing over one that costs more than reference_span times the
  // cheapest candidate within the tolerance of it. The band's premise is that a gap within the
  // tolerance is a weak reason to pay several times the CO2e; a candidate that costs an order of
  // magnitude more than one inside its own band is then no choice anyone makes on that evidence,
  // and its headline figure (ViT-H/14's 88.6 top-1, from 3.6 B extra images at 518 px) should not
  // move the bar for everyone else. Copied: the sort below moves the candidates.
  struct Band {
    std::optional<Candidate> best;
    double tolerance = 0;
    std::map<const catalog::CatalogModel*, std::string> passed_over;  // model → why it does not set the band
    std::vector<std::string> passed_order;                             // their ids, best first
  };
  auto band_for = [&](const std::string& g) {
    Band band;
    int best_tier = -1;
    for (int t = 0; t < 5 && best_tier < 0; ++t)
      for (const auto& c : cands)
        if (group_of(c) == g && tier(c) == t) best_tier = t;
    std::vector<const Candidate*> pool;
    for (const auto& c : cands)
      if (group_of(c) == g && tier(c) == best_tier) pool.push_back(&c);
    std::stable_sort(pool.begin(), pool.end(), [&](const Candidate* a, const Candidate* b) {
      if (score(*a->quality) != score(*b->quality)) return score(*a->quality) > score(*b->quality);
      return cost(*a) < cost(*b);
    });
    for (const Candidate* r : pool) {
      const double width = band_of(*r->quality, o);
      // What its band would put first: a pretrained core before one trained from scratch, then the
      // cheapest (as the sort below orders the good-enough).
      const Candidate* cheapest = r;
      for (const Candidate* c : pool) {
        if (score(*r->quality) - score(*c->quality) > width + 1e-12) continue;
        const bool pc = !c->model->pretrained.empty(), pk = !cheapest->model->pretrained.empty();
        if (pc != pk ? pc : cost(*c) < cost(*cheapest)) cheapest = c;
      }
      const double mine = cost(*r), theirs = cost(*cheapest);
      if (o.mode != "quality" && o.reference_span > 0 && std::isfinite(mine) && std::isfinite(theirs) && theirs > 0 && mine > o.reference_span * theirs) {
        band.passed_over[r->model] = fmt_num(mine / theirs) + "x the " + cost_name + " of " + cheapest->model->id + ", within " +
                                     gap_text(width, *r->quality) + " of it: over " + fmt_num(o.reference_span) +
                                     "x, so it does not set the good-enough band";
        band.passed_order.push_back(r->model->id);
        continue;
      }
      // The same premise for the serving time per query on the deployment device, a cost that does not
      // depend on the load: under an assumed load (1,000 queries a day) a small board's serving energy is
      // a rounding error beside one fine-tune, so the life-cycle span above sees only the training and
      // kept EfficientNet-V2-L (0.36 s a photo on a Jetson Nano, 21x EfficientNet-B3) as the bar that
      // left every MobileNet outside the band. A reference that needs over reference_span times the
      // device time of what its own band puts first is no choice anyone makes on that evidence either.
      if (o.mode != "quality" && o.reference_span > 0 && r->latency_s && cheapest->latency_s && *cheapest->latency_s > 0 &&
          *r->latency_s > o.reference_span * *cheapest->latency_s) {
        band.passed_over[r->model] = fmt_num(*r->latency_s / *cheapest->latency_s) + "x the serving time per query of " +
                                     cheapest->model->id + ", within " + gap_text(width, *r->quality) + " of it: over " +
                                     fmt_num(o.reference_span) + "x, so it does not set the good-enough band";
        band.passed_order.push_back(r->model->id);
        continue;
      }
      band.best = *r;
      break;
    }
    if (!band.best && !pool.empty()) band.best = *pool.front();  // every one passed over: the very best after all
    if (band.best) band.tolerance = band_of(*band.best->quality, o);
    return band;
  };
  Band primary = group.empty() ? Band{} : band_for(group);
  const std::optional<Candidate>& best = primary.best;
  const auto& passed_over = primary.passed_over;
  const auto& passed_order = primary.passed_order;
  const double tolerance = primary.tolerance;
  auto gap = [&](const Candidate& c) { return best ? score(*best->quality) - score(*c.quality) : 0.0; };
  auto good_enough = [&](const Candidate& c) { return c.comparable && best && tier(c) <= tier(*best) && gap(c) <= tolerance + 1e-12; };
  auto is_best = [&](const Candidate& c) { return best && c.model == best->model; };
  // The other groups' bands (only when ranking across groups), and the order the groups are listed
  // in below their bands: the comparison group first, then by the same count that chose it.
  std::map<std::string, Band> others;
  std::map<std::string, int> group_rank;
  if (across) {
    std::vector<std::pair<std::tuple<int, int, int>, std::string>> by_count;
    for (const auto& [g, n] : count)
      if (g != group) by_count.push_back({n, g});
    std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < by_count.size(); ++i) {
      group_rank[by_count[i].second] = static_cast<int>(i) + 1;
      others[by_count[i].second] = band_for(by_count[i].second);
    }
  }
  auto other_band = [&](const Candidate& c) -> const Band* {
    if (!across || c.comparable) return nullptr;
    const auto it = others.find(group_of(c));
    return it == others.end() || !it->second.best ? nullptr : &it->second;
  };
  auto other_gap = [&](const Candidate& c, const Band& b) { return score(*b.best->quality) - score(*c.quality); };
  auto good_in_own = [&](const Candidate& c) {
    const Band* b = other_band(c);
    return b && tier(c) <= tier(*b->best) && other_gap(c, *b) <= b->tolerance + 1e-12;
  };
  auto rank_of_group = [&](const Candidate& c) {
    if (c.comparable) return 0;
    const auto it = group_rank.find(group_of(c));
    return it == group_rank.end() ? 1 << 20 : it->second;
  };

  // Pareto front over (quality up, life-cycle cost down) among the comparable.
  for (auto& c : cands) {
    c.pareto = false;
    if (!c.comparable) continue;
    c.pareto = std::none_of(cands.begin(), cands.end(), [&](const Candidate& x) {
      if (&x == &c || !x.comparable) return false;
      const double q1 = score(*c.quality), q2 = score(*x.quality);
      return q2 >= q1 && cost(x) <= cost(c) && (q2 > q1 || cost(x) < cost(c));
    });
  }

  // Cost as ranked: life-cycle CO2e; where unknown, after the known, smaller models first.
  auto cheaper = [&](const Candidate& a, const Candidate& b) {
    const double ca = cost(a), cb = cost(b);
    if (ca != cb) return ca < cb;
    if (by_time) {  // equal device time: the cheaper training
      const double ta = a.training_co2().value_or(INFINITY), tb = b.training_co2().value_or(INFINITY);
      if (ta != tb) return ta < tb;
    }
    const double wa = a.model->macs.value_or(a.model->params.value_or(INFINITY));
    const double wb = b.model->macs.value_or(b.model->params.value_or(INFINITY));
    if (wa != wb) return wa < wb;
    return a.primary && !b.primary;  // made for the task before listed for it too
  };
  const bool quality_first = o.mode == "quality";
  std::stable_sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
    if (tier(a) != tier(b)) return tier(a) < tier(b);
    if (a.transfer_from.empty() != b.transfer_from.empty()) return a.transfer_from.empty();
    // Where nothing fits, the one that comes nearest first: the fastest where both latencies are
    // known, else the cheapest (a better benchmark score does not help a model that cannot run).
    if (tier(a) >= 3) {
      if (a.latency_s && b.latency_s && *a.latency_s != *b.latency_s) return *a.latency_s < *b.latency_s;
      return cheaper(a, b);
    }
    if (quality_first) {
      if (a.comparable != b.comparable) return a.comparable;
      if (a.comparable && std::fabs(score(*a.quality) - score(*b.quality)) > 1e-12) return score(*a.quality) > score(*b.quality);
      if (a.model->pretrained.empty() != b.model->pretrained.empty()) return !a.model->pretrained.empty();
      return cheaper(a, b);
    }
    // Good enough in its own group (any group, when ranking across them), then below a band (group
    // by group, best first), then what no quality places.
    auto grade = [&](const Candidate& c) { return good_enough(c) || good_in_own(c) ? 0 : c.comparable || other_band(c) ? 1 : 2; };
    const int ga = grade(a), gb = grade(b);
    if (ga != gb) return ga < gb;
    if (a.model->pretrained.empty() != b.model->pretrained.empty()) return !a.model->pretrained.empty();
    if (ga == 1 && rank_of_group(a) != rank_of_group(b)) return rank_of_group(a) < rank_of_group(b);
    if (ga == 1) return score(*a.quality) > score(*b.quality);
    return cheaper(a, b);
  });

  // One line per candidate: why it stands where it does.
  const Candidate* first = cands.empty() ? nullptr : &cands.front();
  // The trade the band declined, named on the first pick: the best comparable candidate of the
  // same fit tier that lies below the band yet costs less than the pick. The band is a stated
  // default, not a measured optimum (an always-on detector on a small board may well value 50x
  // less CO2e over 15 points of a 527-class benchmark); the user sees the price of each point and
  // the --quality-tolerance that would take the cheaper one in, instead of a silent cut.
  const Candidate* below = nullptr;
  if (name_trade && first && !quality_first && first->comparable && good_enough(*first) && std::isfinite(cost(*first)))
    for (const auto& c : cands)
      if (c.comparable && !good_enough(c) && tier(c) == tier(*first) && cost(c) > 0 && cost(c) < cost(*first) &&
          (!below || score(*c.quality) > score(*below->quality) ||
           (score(*c.quality) == score(*below->quality) && cost(c) < cost(*below))))
        below = &c;
  // What the tolerance that takes it in would rank first: the band's reference may move with it
  // (a wider band can pass over a reference that a narrower one kept), so it is ranked, not guessed.
  std::string trade_rank;
  if (below) {
    RankOptions wider = o;
    const double t = tolerance_to_include(gap(*below), *best->quality);
    (best->quality->higher_is_better ? wider.tolerance : wider.error_tolerance) = t;
    std::vector<Candidate> copy = cands;
    rank(copy, wider, false);
    trade_rank = std::string(" (") + (best->quality->higher_is_better ? "--quality-tolerance " : "--error-tolerance ") + fmt_num(t) +
                 " ranks " + copy.front().model->id + " first)";
  }
  const std::string the_best = passed_over.empty() ? "the best " : "the reference ";  // a better one was passed over
  for (auto& c : cands) {
    std::string why;
    if (c.fits == Fit::kNo) why = "does not fit (" + c.violations.front() + ")";
    else if (c.fits == Fit::kUnknown) why = "fit unknown (missing: " + c.missing.front() + ")";
    else why = "fits every constraint";
    if (!c.transfer_from.empty()) {
      why += "; transfer from " + c.transfer_from + ": reuse its " + segment_list(c) +
             (c.frames ? " on each of " + std::to_string(c.frames) + " frames, scores averaged (costed as " + std::to_string(c.frames) + " frames)" : "") +
             " (ranked after the task's own models that fit as well)";
    } else if (c.comparable && best) {
      const std::string metric = best->quality->metric;
      if (is_best(c)) why += "; best " + metric + " among the candidates that fit as well" +
                             (passed_over.empty() ? "" : " and cost under " + fmt_num(o.reference_span) + "x what its band holds");
      else if (passed_over.count(c.model))
        why += "; " + gap_text(-gap(c), *c.quality) + " above " + best->model->id + "'s " + metric + " at " + passed_over.at(c.model);
      else if (gap(c) < -1e-12) why += "; " + gap_text(-gap(c), *c.quality) + " above " + the_best + metric + " that fits as well (" + best->model->id + ")";
      else if (gap(c) <= 0) why += "; as good as " + the_best + metric + " (" + best->model->id + ")";
      else if (good_enough(c)) why += "; within " + gap_text(gap(c), *c.quality) + " of " + the_best + metric + " (" + best->model->id + ")";
      else why += "; " + gap_text(gap(c), *c.quality) + " below " + the_best + metric + ", outside the " +
                  gap_text(tolerance, *best->quality) + " tolerance";
      const auto mine = c.lifecycle_co2(), theirs = best->lifecycle_co2();
      if (!is_best(c) && mine && theirs && !by_time) why += ", " + times(*theirs, *mine) + " life-cycle CO2e than it";
      else if (!is_best(c) && c.latency_s && best->latency_s) why += ", " + times(*best->latency_s, *c.latency_s) + " serving time per query";
    } else if (const Band* b = other_band(c)) {
      // Its own group's band: placed against the others by cost only, never by quality.
      const std::string own = c.quality->metric + " on " + c.quality->dataset;
      const double g = other_gap(c, *b);
      why += "; quality on " + c.quality->metric + "/" + c.quality->dataset + " is not comparable with " + group;
      if (c.model == b->best->model) why += "; best " + own + " among the candidates that fit as well";
      else if (g <= 0) why += "; as good as the best " + own + " (" + b->best->model->id + ")";
      else if (good_in_own(c)) why += "; within " + gap_text(g, *c.quality) + " of the best " + own + " (" + b->best->model->id + ")";
      else why += "; " + gap_text(g, *c.quality) + " below the best " + own + " (" + b->best->model->id + "), outside the " +
                  gap_text(b->tolerance, *b->best->quality) + " tolerance";
      if (good_in_own(c)) why += ": good enough on its own benchmark, ranked against the other benchmarks' good-enough choices by " + cost_name;
    } else if (c.quality && lone.count(group_of(c))) {
      why += "; no other candidate has a figure on " + c.quality->metric + "/" + c.quality->dataset +
             ": not comparable with any, a benchmark of one compares it with none, so it is ranked by cost with the candidates no quality places";
    } else if (c.quality) {
      why += "; quality on " + c.quality->metric + "/" + c.quality->dataset + " is not comparable with " + group + ": ranked by cost";
    } else {
      why += "; no published quality: ranked by cost";
    }
    if (&c == first && !quality_first && (good_enough(c) || good_in_own(c)))
      why += others.empty() ? "; the cheapest good-enough choice" : "; the cheapest good-enough choice (each benchmark's own band; across benchmarks by cost only)";
    if (&c == first && below) why += "; below the band, " + below->model->id + " gives up " + gap_text(gap(*below), *below->quality) +
                                     " for " + times(cost(c), cost(*below)) + " " + cost_name + trade_rank;
    if (!c.model->pretrained.empty() && c.transfer_from.empty()) why += "; pretrained weights: fine-tune";
    else if (c.model->pretrained.empty()) why += "; no pretrained weights: trained from scratch";
    if (!c.schedule_note.empty()) why += "; " + c.schedule_note;
    if (!c.lifecycle_co2()) why += "; CO2e unknown (" + (c.cost_note.empty() ? c.serving_note : c.cost_note) + ")";
    c.why = why;
  }
  if (group.empty()) return "";
  const std::string time_note = by_time ? " (serving energy unknown on the device: device time per day, latency x load, which orders "
                                          "serving energy on one device; then training CO2e)" : "";
  if (quality_first) return "fits, then " + group + ", then " + cost_name + " among equals" + time_note;
  std::string basis = "fits, then the cheapest " + cost_name + time_note + " within " + (best ? gap_text(tolerance, *best->quality) : std::string("the tolerance")) +
                      " of the best " + group;
  if (!passed_over.empty() && best) {
    basis += " that costs at most " + fmt_num(o.reference_span) + "x the cheapest within the tolerance of it (" + best->model->id + "; passed over:";
    for (const auto& id : passed_order) basis += " " + id;
    basis += ")";
  }
  if (!others.empty()) {
    basis += "; likewise within each other benchmark (";
    bool sep = false;
    for (const auto& [g, b] : others) { basis += (sep ? ", " : "") + g; sep = true; }
    basis += "), its good-enough candidates ranked with these by " + cost_name + " alone: quality is not compared across benchmarks";
  }
  return basis;
}
}  // namespace

}  // namespace sml::suggest
