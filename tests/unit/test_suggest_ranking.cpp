// The ranking stage on hand-made candidates and the hand-made catalogue of tests/data: transfer
// candidates after the task's own, with their reusable segments named; training costed at each
// architecture's own schedule; speed as a stated priority implies the 0.1 s limit.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sml/catalog/models.hpp"
#include "sml/suggest/pipeline.hpp"
#include "suggest_toy.hpp"

namespace {
using sml::suggest::Candidate;
using sml::suggest::Fit;

sml::catalog::CatalogModel model(const std::string& id, double macs, double top1, const std::string& task) {
  sml::catalog::CatalogModel m;
  m.id = id;
  m.tasks = {task};
  m.macs = macs;
  m.params = macs / 10;
  m.quality = {{"top1", top1, "set-a", "", "test", true}};
  m.pretrained = {"test:" + id};
  return m;
}

Candidate cand(const sml::catalog::CatalogModel& m, double co2, Fit fit, const std::string& from = "") {
  Candidate c;
  c.model = &m;
  c.task = "toy-classification";
  c.quality = &m.quality.front();
  c.finetune_co2 = co2;
  c.serving_co2 = 0;
  c.fits = fit;
  if (fit == Fit::kUnknown) c.missing = {"a figure"};
  if (fit == Fit::kNo) c.violations = {"too slow"};
  c.transfer_from = from;
  if (!from.empty()) {
    c.primary = false;
    c.shared_segment = "backbone";
    c.reusable_segments = {"backbone", "neck"};
  }
  return c;
}

std::vector<std::string> order(const std::vector<Candidate>& v) {
  std::vector<std::string> out;
  for (const auto& c : v) out.push_back(c.model->id);
  return out;
}

sml::Doc run(const std::string& task_yaml) {
  sml::suggest::SuggestOptions o = toy_suggest_options(task_yaml);
  o.latency_budget = "none";
  return sml::suggest::suggest(o);
}

}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("ranking: a transfer candidate comes after a fitting candidate of the task's own, however cheap or good") {
    // The neighbour's model scores higher and costs a tenth: it still comes after the task's own
    // models that fit; before the task's own that are unknown or do not fit, it keeps its tier.
    const auto own = model("own", 1e9, 0.80, "toy-classification");
    const auto own_unknown = model("own-unknown", 1e8, 0.81, "toy-classification");
    const auto own_misfit = model("own-misfit", 1e8, 0.82, "toy-classification");
    const auto neighbour = model("neighbour", 1e8, 0.84, "toy-detection");
    std::vector<Candidate> v = {cand(neighbour, 0.1, Fit::kYes, "toy-detection"), cand(own_misfit, 0.1, Fit::kNo),
                                cand(own_unknown, 0.1, Fit::kUnknown), cand(own, 1.0, Fit::kYes)};
    sml::suggest::RankOptions ro;
    sml::suggest::rank_candidates(v, ro);
    CHECK(order(v) == std::vector<std::string>{"own", "neighbour", "own-unknown", "own-misfit"});
    // Its quality is on its own task's benchmark: never the best, never in the comparison.
    CHECK_FALSE(v[1].comparable);
    CHECK(v[1].why.find("transfer from toy-detection: reuse its backbone and neck") != std::string::npos);
    CHECK(v[0].why.find("best top1") != std::string::npos);
    // Within one fit tier (both unknown), the task's own first too.
    std::vector<Candidate> w = {cand(neighbour, 0.1, Fit::kUnknown, "toy-detection"), cand(own_unknown, 5.0, Fit::kUnknown)};
    sml::suggest::rank_candidates(w, ro);
    CHECK(order(w) == std::vector<std::string>{"own-unknown", "neighbour"});
  }

  TEST_CASE("ranking: transfer candidates name every segment the task can reuse") {
    // toy-detector has a backbone and a box-head; toy-classification needs backbone and
    // classification-head: only the backbone is reusable. A task that also needs a box-head reuses both.
    const std::string toy = "task: {id: toy-classification, confidence: 0.9}\nmodalities: [image]\n";
    const auto d = run(toy + "segments: [backbone, classification-head]\n");
    CHECK(candidate(d, "toy-detector").path("transfer.reusable_segments")->as_list().size() == 1);
    const auto e = run(toy + "segments: [backbone, box-head, classification-head]\n");
    const auto& both = candidate(e, "toy-detector");
    REQUIRE(both.path("transfer.reusable_segments")->as_list().size() == 2);
    CHECK(both.path("transfer.note")->as_string().find("reuse its backbone and box-head") != std::string::npos);
    CHECK(both.path("transfer.shared_segment")->as_string() == "backbone");
  }

  TEST_CASE("ranking: each architecture is costed at its own training schedule") {
    // slow-detector: 2.5e7 MACs (toy-detector 3e7), box-mAP 0.52 (0.50), but 10x the epochs to
    // converge. Training FLOPs are linear in MACs × epochs on the same device and data, so its
    // fine-tuning CO2e is 10 × 2.5/3 of toy-detector's (and its scratch figure the same ratio).
    const auto d = run("task: {id: toy-detection, confidence: 0.9}\nmodalities: [image]\nsegments: [backbone, box-head]\n"
                       "constraints: {data_samples: 1.0e+6}\ndeployment: {device: test-gpu}\n");
    const auto& slow = candidate(d, "slow-detector");
    const auto& quick = candidate(d, "toy-detector");
    const double ratio = 10 * 2.5e7 / 3e7;
    CHECK(*slow.path("finetune.co2e_kg")->as_number() == doctest::Approx(ratio * *quick.path("finetune.co2e_kg")->as_number()));
    CHECK(*slow.path("train_scratch.co2e_kg")->as_number() == doctest::Approx(ratio * *quick.path("train_scratch.co2e_kg")->as_number()));
    CHECK(slow.path("finetune.note")->as_string().find("10x the usual epochs") != std::string::npos);
    CHECK(slow.find("why")->as_string().find("converges slowly") != std::string::npos);
    // With a million training samples, training outweighs a year of serving (3.65e5 queries):
    // within the 5 pt tolerance of the better slow-detector, toy-detector is the cheaper life cycle.
    CHECK(d.find("candidates")->as_list().front().find("model")->as_string() == "toy-detector");
    // The plan's epochs are left as they were for everyone else.
    CHECK(*d.path("plan.finetune_epochs")->as_number() == 12);
  }

  TEST_CASE("ranking: speed as the stated priority implies the 0.1 s limit, not the 1 s one") {
    sml::suggest::Task task;
    CHECK(sml::suggest::implied_latency_budget("laptop-cpu", task)->latency_s == 1);
    task.objectives = {"latency"};
    CHECK(sml::suggest::implied_latency_budget("laptop-cpu", task)->latency_s == doctest::Approx(0.1));
    CHECK(sml::suggest::implied_latency_budget("server-cpu", task)->latency_s == doctest::Approx(0.1));
    task.objectives = {"accuracy", "latency"};  // "accuracy matters far more than speed"
    CHECK(sml::suggest::implied_latency_budget("laptop-cpu", task)->latency_s == 1);
    task.objectives = {"cost", "latency", "accuracy"};
    CHECK(sml::suggest::implied_latency_budget("edge-board", task)->latency_s == doctest::Approx(0.1));
    task.latency_s = 0.5;  // stated: nothing implied
    CHECK_FALSE(sml::suggest::implied_latency_budget("edge-board", task));
  }

  TEST_CASE("ranking: a generated text on the device implies the 10 s limit, not the 1 s one") {
    sml::suggest::Task task;
    sml::describe::Task summarization, segmentation;
    summarization.segments = {{"tokenizer", ""}, {"encoder", ""}, {"decoder", ""}, {"decoding", ""}};
    segmentation.segments = {{"encoder", ""}, {"decoder", ""}, {"mask-head", ""}};  // a dense decoder writes no text
    CHECK(sml::suggest::generates_text(summarization));
    CHECK_FALSE(sml::suggest::generates_text(segmentation));
    CHECK(sml::suggest::implied_latency_budget("laptop-cpu", task, true)->latency_s == 10);
    CHECK(sml::suggest::implied_latency_budget("phone-soc", task, true)->latency_s == 10);
    CHECK(sml::suggest::implied_latency_budget("laptop-cpu", task, false)->latency_s == 1);
    task.objectives = {"latency"};  // "live" still asks for the first limit
    CHECK(sml::suggest::implied_latency_budget("laptop-cpu", task, true)->latency_s == doctest::Approx(0.1));
  }

  TEST_CASE("candidates: a transfer reuses an encoder that reads the task's input, not one that only writes it") {
    sml::describe::Task asr, cls;
    asr.id = "automatic-speech-recognition";
    asr.modalities = {"audio", "text"};  // reads audio, writes text
    cls.id = "text-classification";
    cls.modalities = {"text"};
    sml::catalog::CatalogModel speech, textenc;
    speech.id = "speech-encoder";
    speech.tasks = {asr.id};
    speech.segments = {{"encoder", ""}};
    textenc.id = "text-encoder";
    textenc.tasks = {cls.id};
    textenc.segments = {{"encoder", ""}};
    sml::suggest::Task summarize;
    summarize.id = "summarization";
    summarize.modalities = {"text"};
    summarize.segments = {"tokenizer", "encoder", "decoder"};
    const std::vector<sml::catalog::CatalogModel> models = {speech, textenc};  // candidates point into it
    const std::vector<sml::describe::Task> taxonomy = {asr, cls};
    const auto cands = sml::suggest::generate_candidates(summarize, models, taxonomy);
    REQUIRE(cands.size() == 1);
    CHECK(cands.front().model->id == "text-encoder");
    CHECK(cands.front().transfer_from == "text-classification");
  }

  TEST_CASE("ranking: the first pick names the cheaper trade below the band and what the tolerance taking it in ranks first") {
    // Hand-made: best 0.90 (cost 10), mid 0.87 (cost 5), small 0.70 (cost 0.2), tiny 0.60 (cost 0.1),
    // pricey 0.75 (cost 8, below the band but dearer than the pick: no trade). The 5-point band
    // holds best and mid; mid is the pick. The best below the band that costs less is small:
    // 0.90 - 0.70 = 20 points for 5 / 0.2 = 25x less CO2e; a tolerance of 0.2 takes it in.
    const auto best = model("best", 1e10, 0.90, "toy-classification"), mid = model("mid", 5e9, 0.87, "toy-classification"),
               small = model("small", 2e8, 0.70, "toy-classification"), tiny = model("tiny", 1e8, 0.60, "toy-classification"),
               pricey = model("pricey", 8e9, 0.75, "toy-classification");
    auto fresh = [&] {
      return std::vector<Candidate>{cand(best, 10, Fit::kYes), cand(mid, 5, Fit::kYes), cand(small, 0.2, Fit::kYes),
                                    cand(tiny, 0.1, Fit::kYes), cand(pricey, 8, Fit::kYes)};
    };
    sml::suggest::RankOptions ro;
    ro.reference_span = 0;  // none: the band counts from the very best
    auto v = fresh();
    sml::suggest::rank_candidates(v, ro);
    REQUIRE(order(v).front() == "mid");
    CHECK(v.front().why.find("; below the band, small gives up 20 pt for 25x less life-cycle CO2e (--quality-tolerance 0.2 ranks small first)") !=
          std::string::npos);
    for (std::size_t i = 1; i < v.size(); ++i) CHECK(v[i].why.find("below the band") == std::string::npos);
    auto w = fresh();
    ro.tolerance = 0.2;  // what the line says: small first, tiny (30 pt below) still outside
    sml::suggest::rank_candidates(w, ro);
    CHECK(order(w).front() == "small");
    CHECK(w.front().why.find("below the band, tiny gives up 30 pt for 2x less life-cycle CO2e (--quality-tolerance 0.3 ranks tiny first)") !=
          std::string::npos);
    // With the default span a wider band passes over best (50x small's cost), then mid and pricey
    // (25x, 80x the cheapest in their bands), and small's band takes tiny: the line says so
    // rather than promising small.
    ro = {};
    auto d = fresh();
    sml::suggest::rank_candidates(d, ro);
    REQUIRE(order(d).front() == "mid");
    CHECK(d.front().why.find("small gives up 20 pt for 25x less life-cycle CO2e (--quality-tolerance 0.2 ranks tiny first)") != std::string::npos);
    auto e = fresh();
    ro.tolerance = 0.2;
    sml::suggest::rank_candidates(e, ro);
    CHECK(order(e).front() == "tiny");
    // Ranked on quality: no band, no trade named.
    auto q = fresh();
    ro = {};
    ro.mode = "quality";
    sml::suggest::rank_candidates(q, ro);
    CHECK(order(q).front() == "best");
    CHECK(q.front().why.find("below the band") == std::string::npos);
  }

  TEST_CASE("ranking: a model that cannot do the task (the wrong language) never stands before a near miss, nor a near miss before a fit") {
    // Spanish speech on an implied live budget that nothing meets: English-only models are the
    // cheapest and fastest, yet a language misfit is one no device or budget lifts; the models
    // that only miss the budget come first, the fastest of them first. check_fits marks the kind.
    auto en = model("english-only", 1e8, 0.80, "toy-asr"), multi_fast = model("multi-fast", 1e9, 0.80, "toy-asr"),
         multi_slow = model("multi-slow", 4e9, 0.80, "toy-asr");
    en.languages.stated = true;
    en.languages.codes = {"en"};
    multi_fast.languages.stated = multi_slow.languages.stated = true;
    multi_fast.languages.codes = multi_slow.languages.codes = {"en", "es"};
    sml::suggest::Task task;
    task.id = "toy-asr";
    task.modalities = {"audio", "text"};
    task.source_languages = {"es"};
    sml::suggest::Setting none;  // no device (unknown speed and memory), no budget: the language decides the misfit
    std::vector<Candidate> v = {cand(en, 0.1, Fit::kYes), cand(multi_slow, 5, Fit::kYes), cand(multi_fast, 2, Fit::kYes)};
    sml::suggest::check_fits(v, task, none);
    CHECK(v[0].fits == Fit::kNo);
    CHECK(v[0].wrong_kind);
    CHECK(v[1].fits == Fit::kUnknown);  // the device is not known, the language fits
    CHECK_FALSE(v[1].wrong_kind);
    // Now all miss a latency budget as well: the near misses by latency, the wrong kind last.
    for (auto& c : v) {
      c.fits = Fit::kNo;
      c.violations.push_back("latency over the budget");
    }
    v[0].latency_s = 0.01;
    v[1].latency_s = 0.8;
    v[2].latency_s = 0.2;
    sml::suggest::rank_candidates(v, {});
    CHECK(order(v) == std::vector<std::string>{"multi-fast", "multi-slow", "english-only"});
    // And one that fits or is unknown always stands before any that does not.
    auto fit_dear = model("fits-dear", 9e9, 0.70, "toy-asr"), unknown = model("unknown", 9e9, 0.70, "toy-asr");
    v.push_back(cand(unknown, 50, Fit::kUnknown));
    v.push_back(cand(fit_dear, 100, Fit::kYes));
    sml::suggest::rank_candidates(v, {});
    CHECK(order(v) == std::vector<std::string>{"fits-dear", "unknown", "multi-fast", "multi-slow", "english-only"});
    for (std::size_t i = 1; i < v.size(); ++i) CHECK_FALSE((v[i - 1].fits == Fit::kNo && v[i].fits != Fit::kNo));
  }

  TEST_CASE("fits: the live budget for a model that answers for recorded audio is real time over its own window") {
    // Speed first implies 0.1 s; a recogniser that reads 30 s of audio a query keeps up when it
    // answers within 30 s (real-time factor at most 1); an image model keeps the 0.1 s limit, and
    // a stated or non-live budget is never widened.
    auto asr = model("asr-30s", 1e9, 0.8, "toy-asr"), image = model("image", 1e9, 0.8, "toy-asr");
    asr.audio_s = 30;
    sml::suggest::Task task;
    task.id = "toy-asr";
    sml::suggest::Setting live;
    live.latency_budget_s = 0.1;
    live.latency_budget_basis = "implied: live";
    live.latency_budget_live = true;
    auto latency_verdict = [&](const sml::catalog::CatalogModel& m, double latency, const sml::suggest::Setting& s) {
      std::vector<Candidate> v = {cand(m, 1, Fit::kYes)};
      v[0].latency_s = latency;
      sml::suggest::check_fits(v, task, s);
      return v[0].fits;  // no device: unknown at best, No where the latency is over
    };
    CHECK(latency_verdict(asr, 0.5, live) == Fit::kUnknown);
    CHECK(latency_verdict(asr, 31, live) == Fit::kNo);
    CHECK(latency_verdict(image, 0.5, live) == Fit::kNo);
    sml::suggest::Setting stated = live;
    stated.latency_budget_live = false;  // a stated 0.1 s is what the user asked for
    CHECK(latency_verdict(asr, 0.5, stated) == Fit::kNo);
    CHECK(latency_verdict(asr, 0.05, stated) == Fit::kUnknown);
  }
}

TEST_SUITE("suggest") {
  TEST_CASE("ranking: where serving energy is unknown, device time ranks, not training alone; known energy keeps life-cycle CO2e") {
    // Both within the 5-point band. The better one fine-tunes for a quarter of the CO2e but takes
    // 5x the device time per query: on a device with no power figure the serving energy is that
    // unknown power times the device time, so the faster one is the cheaper to run.
    const auto heavy = model("heavy", 4e9, 0.82, "toy-classification");
    const auto light = model("light", 3e8, 0.80, "toy-classification");
    const auto blind = model("blind", 1e8, 0.81, "toy-classification");  // no latency: unknown cost
    auto served = [](Candidate c, double latency, std::optional<double> serving_co2) {
      c.latency_s = latency;
      c.queries_per_day = 1000;
      c.serving_co2 = serving_co2;
      return c;
    };
    std::vector<Candidate> v = {served(cand(heavy, 0.5, Fit::kYes), 0.10, std::nullopt),
                                served(cand(light, 2.0, Fit::kYes), 0.02, std::nullopt), cand(blind, 0.1, Fit::kYes)};
    v[2].serving_co2.reset();
    sml::suggest::RankOptions ro;
    const std::string basis = sml::suggest::rank_candidates(v, ro);
    CHECK(order(v) == std::vector<std::string>{"light", "heavy", "blind"});
    CHECK(basis.find("serving device time") != std::string::npos);
    REQUIRE(v[0].device_s_per_day());
    CHECK(*v[0].device_s_per_day() == doctest::Approx(20.0));  // 0.02 s x 1000 a day
    // Equal device time: the cheaper training breaks the tie.
    std::vector<Candidate> t = {served(cand(heavy, 0.5, Fit::kYes), 0.02, std::nullopt), served(cand(light, 2.0, Fit::kYes), 0.02, std::nullopt)};
    sml::suggest::rank_candidates(t, ro);
    CHECK(order(t) == std::vector<std::string>{"heavy", "light"});
    // With serving CO2e known for every candidate, life-cycle CO2e ranks as before: 0.5 + 0.2 < 2.0 + 0.04.
    std::vector<Candidate> w = {served(cand(light, 2.0, Fit::kYes), 0.02, 0.04), served(cand(heavy, 0.5, Fit::kYes), 0.10, 0.2)};
    const std::string basis_w = sml::suggest::rank_candidates(w, ro);
    CHECK(order(w) == std::vector<std::string>{"heavy", "light"});
    CHECK(basis_w.find("life-cycle CO2e") != std::string::npos);
  }

  TEST_CASE("ranking: a reference that needs over reference_span times the serving time per query of one in its band does not set the band") {
    // Hand-made, the Jetson Nano shape: training dominates life-cycle CO2e at the assumed load, so
    // big (0.86, 0.36 s) costs only 7x mid (0.83, 0.017 s) and the CO2e span keeps it as the bar,
    // which leaves small (0.80, 0.011 s, cheapest) outside the 5-point band. 0.36 / 0.017 = 21x the
    // device time of mid, inside big's band: passed over; mid's band (down to 0.78) takes small in.
    const auto big = model("big", 5e10, 0.86, "toy-classification"), mid = model("mid", 2e9, 0.83, "toy-classification"),
               small = model("small", 7e8, 0.80, "toy-classification");
    auto timed = [](Candidate c, double latency) { c.latency_s = latency; return c; };
    auto fresh = [&] {
      return std::vector<Candidate>{timed(cand(big, 7, Fit::kYes), 0.36), timed(cand(mid, 1, Fit::kYes), 0.017),
                                    timed(cand(small, 0.8, Fit::kYes), 0.011)};
    };
    sml::suggest::RankOptions ro;
    auto v = fresh();
    const std::string basis = sml::suggest::rank_candidates(v, ro);
    CHECK(order(v).front() == "small");
    CHECK(basis.find("(mid; passed over: big)") != std::string::npos);
    const auto& b = *std::find_if(v.begin(), v.end(), [](const Candidate& c) { return c.model->id == "big"; });
    CHECK(b.why.find("21.2x the serving time per query of mid") != std::string::npos);
    // Without latencies the life-cycle span alone keeps big as the bar (7x < 10x): mid first.
    std::vector<Candidate> u = {cand(big, 7, Fit::kYes), cand(mid, 1, Fit::kYes), cand(small, 0.8, Fit::kYes)};
    sml::suggest::rank_candidates(u, ro);
    CHECK(order(u).front() == "mid");
    // Ranked on quality, nothing is passed over.
    auto q = fresh();
    ro.mode = "quality";
    sml::suggest::rank_candidates(q, ro);
    CHECK(order(q).front() == "big");
  }
}

// Issue 15, round 30: error rates, live captions, incomparable benchmarks (suggest7).
namespace {
sml::catalog::CatalogModel scored(const std::string& id, double macs, const std::string& metric, double value,
                                  const std::string& dataset, const std::string& scale, bool higher_is_better) {
  auto m = model(id, macs, 0.5, "toy-task");
  m.quality = {{metric, value, dataset, scale, "test", higher_is_better}};
  return m;
}
}  // namespace

TEST_SUITE("suggest") {
  TEST_CASE("ranking: an error rate's band is a share of the best error rate (--error-tolerance), not the points of top-1") {
    // WER on one test set, lower is better: 2.90% (best, 2.6 kg), 3.20% (10% more errors, 1 kg),
    // 3.43% (18% more, 0.8 kg), 7.55% (0.3 kg). The default band is 15% of 2.90 = 0.435 pt: 3.20
    // is in (first, the cheapest within it), 3.43 and 7.55 are out. Before, the band was 5% of
    // 2.90 (0.145 pt) and the 2.6x dearer 2.90 came first.
    const auto best = scored("wer-290", 4e9, "wer", 0.0290, "speech-a", "fraction", false);
    const auto near = scored("wer-320", 2e9, "wer", 0.0320, "speech-a", "fraction", false);
    const auto mid = scored("wer-343", 1e9, "wer", 0.0343, "speech-a", "fraction", false);
    const auto far = scored("wer-755", 1e8, "wer", 0.0755, "speech-a", "fraction", false);
    auto all = [&] {
      return std::vector<Candidate>{cand(best, 2.6, Fit::kYes), cand(near, 1.0, Fit::kYes), cand(mid, 0.8, Fit::kYes),
                                    cand(far, 0.3, Fit::kYes)};
    };
    auto v = all();
    sml::suggest::RankOptions ro;
    sml::suggest::rank_candidates(v, ro);
    CHECK(order(v).front() == "wer-320");
    CAPTURE(v[0].why);
    CHECK(v[0].why.find("within 0.3 pt of the best wer (wer-290)") != std::string::npos);
    // 3.43 is 18.3% over 2.90: outside; the trade is named with the --error-tolerance that takes it in.
    CHECK(v[0].why.find("below the band, wer-343 gives up 0.53 pt") != std::string::npos);
    CHECK(v[0].why.find("--error-tolerance 0.183 ranks wer-343 first") != std::string::npos);
    // --quality-tolerance (points of a higher-is-better metric) does not move an error rate's band.
    v = all();
    ro.tolerance = 0.5;
    sml::suggest::rank_candidates(v, ro);
    CHECK(order(v).front() == "wer-320");
    v = all();
    ro.error_tolerance = 0.2;
    sml::suggest::rank_candidates(v, ro);
    CHECK(order(v).front() == "wer-343");
    // The same share for any lower-is-better metric: a perplexity of 20 against 18 (11% over) is in.
    const auto p18 = scored("ppl-18", 4e9, "perplexity", 18, "text-a", "perplexity", false);
    const auto p20 = scored("ppl-20", 1e9, "perplexity", 20, "text-a", "perplexity", false);
    std::vector<Candidate> p = {cand(p18, 5, Fit::kYes), cand(p20, 1, Fit::kYes)};
    sml::suggest::rank_candidates(p, {});
    CHECK(order(p).front() == "ppl-20");
  }

  TEST_CASE("ranking: each benchmark's good-enough candidates are ranked together by cost, never by quality across benchmarks") {
    // Forecasting: two cheap models on MSE/ETTh1, two dearer on relative WQL/benchmark II. The
    // larger group does not set the order: PatchTST-like (0.225 kg) comes before Chronos-like
    // (3.39 kg), each good enough on its own benchmark. (A benchmark of one is no comparison: the
    // next case.)
    const auto patch = scored("patch", 1e8, "mse", 0.388, "etth1-test", "mse-normalised", false);
    const auto patch2 = scored("patch-2", 2e8, "mse", 0.380, "etth1-test", "mse-normalised", false);
    const auto small = scored("chronos-s", 1e9, "wql-relative", 0.665, "chronos-ii", "", false);
    const auto base = scored("chronos-b", 4e9, "wql-relative", 0.642, "chronos-ii", "", false);
    const auto mid = scored("chronos-m", 2e9, "wql-relative", 0.650, "chronos-ii", "", false);
    auto all = [&](double patch_co2) {
      return std::vector<Candidate>{cand(base, 10, Fit::kYes), cand(small, 3.39, Fit::kYes), cand(mid, 6, Fit::kYes),
                                    cand(patch2, 8, Fit::kYes), cand(patch, patch_co2, Fit::kYes)};
    };
    auto v = all(0.225);
    sml::suggest::RankOptions ro;
    const std::string basis = sml::suggest::rank_candidates(v, ro);
    CHECK(order(v) == std::vector<std::string>{"patch", "chronos-s", "chronos-m", "patch-2", "chronos-b"});
    CHECK(v[0].why.find("is not comparable with wql-relative on chronos-ii") != std::string::npos);
    CHECK(v[0].why.find("ranked against the other benchmarks' good-enough choices by life-cycle CO2e") != std::string::npos);
    CHECK(basis.find("quality is not compared across benchmarks") != std::string::npos);
    // Quality still never crosses: neither group's figure is compared with the other's.
    CHECK_FALSE(v[0].comparable);
    CHECK_FALSE(v[0].pareto);
    // Where the cheap one is dearer, cost puts it after: cost decides, not which group is larger.
    auto w = all(5);
    sml::suggest::rank_candidates(w, ro);
    CHECK(order(w).front() == "chronos-s");
    CHECK(order(w)[1] == "patch");
    // Ranking on quality needs one scale: the comparison group first, the rest after.
    auto q = all(0.225);
    ro.mode = "quality";
    sml::suggest::rank_candidates(q, ro);
    CHECK(order(q) == std::vector<std::string>{"chronos-b", "chronos-m", "chronos-s", "patch", "patch-2"});
    // A benchmark the task names keeps its place ahead of the others (the MMLU rule).
    auto named = all(0.225);
    sml::suggest::RankOptions by_name;
    by_name.task_text = "wql weighted quantile loss on chronos benchmarks";
    sml::suggest::rank_candidates(named, by_name);
    CHECK(order(named).front() == "chronos-s");
  }

  TEST_CASE("fits: live text from speech must come within the caption delay, not only keep up with its window") {
    // whisper-medium-like: 10.7 s for its 30 s window keeps up (real-time factor 0.36) but its words
    // come 10 s late; live captions allow 3 s (Ofcom). A 2 s recogniser fits; audio models that
    // write no text keep the real-time rule.
    auto asr = model("asr-30s", 1e9, 0.8, "toy-asr");
    asr.audio_s = 30;
    sml::suggest::Task task;
    task.id = "toy-asr";
    sml::suggest::Setting live;
    live.latency_budget_s = 0.1;
    live.latency_budget_basis = "implied: live";
    live.latency_budget_live = true;
    live.live_caption_delay_s = sml::suggest::kLiveCaptionDelay_s;
    auto verdict = [&](double latency, const sml::suggest::Setting& s) {
      std::vector<Candidate> v = {cand(asr, 1, Fit::kYes)};
      v[0].latency_s = latency;
      sml::suggest::check_fits(v, task, s);
      return v[0];
    };
    const auto slow = verdict(10.7, live);
    CHECK(slow.fits == Fit::kNo);
    REQUIRE_FALSE(slow.violations.empty());
    CHECK(slow.violations.front().find("latency 10.7 s > 2 s") != std::string::npos);
    CHECK(slow.violations.front().find("Ofcom") != std::string::npos);
    CHECK(slow.violations.front().find("min-chunk-size") != std::string::npos);
    // A streaming set-up waits for its 1 s chunk before reading it: 2.5 s of reading keeps the
    // whole within 3 s only without that wait (whisper-medium's 3.24 s on an AGX Orin is out
    // either way; 2.5 s is out only once the chunk is counted).
    const auto chunked = verdict(2.5, live);
    CHECK(chunked.fits == Fit::kNo);
    REQUIRE_FALSE(chunked.violations.empty());
    CHECK(chunked.violations.front().find("latency 2.5 s > 2 s") != std::string::npos);
    CHECK(verdict(2, live).fits == Fit::kUnknown);  // no device: unknown at best, not over
    sml::suggest::Setting no_text = live;
    no_text.live_caption_delay_s = 0;
    CHECK(verdict(10.7, no_text).fits == Fit::kUnknown);
    // Which tasks write the text of speech: audio in, text out (the taxonomy lists the input first).
    sml::describe::Task asr_task, tts_task, tagger;
    asr_task.modalities = {"audio", "text"};
    tts_task.modalities = {"text", "audio"};
    tagger.modalities = {"audio"};
    CHECK(sml::suggest::transcribes_speech(asr_task));
    CHECK_FALSE(sml::suggest::transcribes_speech(tts_task));
    CHECK_FALSE(sml::suggest::transcribes_speech(tagger));
  }

  TEST_CASE("catalogue: relative MASE and the other error measures rank lower-is-better") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("sml-s7-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
      std::ofstream f(dir / "m.yaml");
      f << "sml: model/v1\nid: m\ntasks: [toy-task]\nquality:\n"
           "  - {metric: mase-relative, value: 0.8, dataset: gift-eval, source: t, year: 2024}\n"
           "  - {metric: crps, value: 0.5, dataset: d, source: t, year: 2024}\n"
           "  - {metric: top1, value: 0.8, dataset: d, source: t, year: 2024}\n";
    }
    const auto models = sml::catalog::load_models(dir.string());
    fs::remove_all(dir);
    REQUIRE(models.size() == 1);
    REQUIRE(models[0].quality.size() == 3);
    CHECK_FALSE(models[0].quality[0].higher_is_better);
    CHECK_FALSE(models[0].quality[1].higher_is_better);
    CHECK(models[0].quality[2].higher_is_better);
  }
}
