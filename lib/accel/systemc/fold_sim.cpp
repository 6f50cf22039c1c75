#include "sml/accel/fold_sim.hpp"

#include <cstdlib>
#include <systemc>

#include "sml/io/error.hpp"

// libsystemc's own main() calls sc_main; our tools have their own main and start the simulation
// themselves, but the library still needs the symbol.
int sc_main(int, char**) { return 0; }

namespace sml::accel {

namespace {

using sc_core::sc_event;
using sc_core::sc_module;
using sc_core::sc_module_name;
using sc_core::sc_time;

// Time is counted in cycles of 1 ns each (the clock does not matter to cycle counts).
sc_time cycles(double n) { return sc_time(n, sc_core::SC_NS); }
double as_cycles(const sc_time& t) { return t.to_seconds() * 1e9; }

// DRAM: one transfer at a time at a fixed bandwidth; a burst pays the latency once.
struct DramChannel : sc_module {
  double words_per_cycle, latency;
  double busy = 0;
  std::int64_t transfers = 0;
  DramChannel(sc_module_name name, double bandwidth, double latency_cycles)
      : sc_module(name), words_per_cycle(bandwidth), latency(latency_cycles) {}
  void transfer(double words, bool opens_burst) {  // called from a thread: blocks for the transfer time
    const double t = (opens_burst ? latency : 0) + words / words_per_cycle;
    busy += t;
    ++transfers;
    wait(cycles(t));
  }
};

// A double-buffered SRAM (one per operand): bank i%2 holds fold i's part. A bank is filled only once the array
// has finished with what it held, and read only once it is filled.
struct DoubleBuffer : sc_module {
  bool full[2] = {false, false};
  sc_event filled[2], drained[2];
  explicit DoubleBuffer(sc_module_name name) : sc_module(name) {}
  void wait_free(int b) {
    while (full[b]) wait(drained[b]);
  }
  void fill(int b) {
    full[b] = true;
    filled[b].notify(sc_core::SC_ZERO_TIME);
  }
  void wait_filled(int b) {
    while (!full[b]) wait(filled[b]);
  }
  void drain(int b) {
    full[b] = false;
    drained[b].notify(sc_core::SC_ZERO_TIME);
  }
};

// The systolic array: a fold occupies it for its compute cycles.
struct PeArray : sc_module {
  double busy = 0;
  explicit PeArray(sc_module_name name) : sc_module(name) {}
  void compute(double n) {
    busy += n;
    wait(cycles(n));
  }
};

// Walks the folds of every layer in order: one thread moves each fold's data through the DRAM
// channel into the three buffers, one computes as soon as all three hold the fold.
struct Controller : sc_module {
  SC_HAS_PROCESS(Controller);
  const std::vector<FoldPlan>& plan;
  DramChannel& dram;
  DoubleBuffer &ifmap, &filter, &ofmap;
  PeArray& array;
  FoldSimResult& result;
  Controller(sc_module_name name, const std::vector<FoldPlan>& p, DramChannel& d, DoubleBuffer& i, DoubleBuffer& f,
             DoubleBuffer& o, PeArray& a, FoldSimResult& r)
      : sc_module(name), plan(p), dram(d), ifmap(i), filter(f), ofmap(o), array(a), result(r) {
    SC_THREAD(prefetch);
    SC_THREAD(compute);
  }
  void prefetch() {
    std::int64_t i = 0;
    for (const auto& layer : plan)
      for (std::int64_t f = 0; f < layer.folds; ++f, ++i) {
        const int bank = static_cast<int>(i % 2);
        ifmap.wait_free(bank);
        filter.wait_free(bank);
        ofmap.wait_free(bank);
        dram.transfer(layer.ifmap_words, true);  // one burst per fold: the latency once
        ifmap.fill(bank);
        dram.transfer(layer.filter_words, false);
        filter.fill(bank);
        dram.transfer(layer.ofmap_words, false);
        ofmap.fill(bank);
      }
  }
  void compute() {
    std::int64_t i = 0;
    for (std::size_t l = 0; l < plan.size(); ++l)
      for (std::int64_t f = 0; f < plan[l].folds; ++f, ++i) {
        const int bank = static_cast<int>(i % 2);
        const sc_time before = sc_core::sc_time_stamp();
        ifmap.wait_filled(bank);
        filter.wait_filled(bank);
        ofmap.wait_filled(bank);
        const double waited = as_cycles(sc_core::sc_time_stamp() - before);
        if (i == 0) result.prologue_cycles = waited;
        else result.stall_cycles[l] += waited;
        array.compute(plan[l].fold_cycles);
        ifmap.drain(bank);
        filter.drain(bank);
        ofmap.drain(bank);
      }
  }
};

bool simulated = false;

}  // namespace

FoldSimResult simulate_folds(const std::vector<FoldPlan>& plan, double bandwidth, double latency) {
  if (simulated) throw std::logic_error("one SystemC simulation per process (Debian's SystemC 2.3.4 cannot restart)");
  if (!(bandwidth > 0)) throw InputError("the SystemC model needs a DRAM bandwidth (--bandwidth or the configuration's)");
  simulated = true;
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);  // its banner would land in our stdout document
  FoldSimResult result;
  result.stall_cycles.assign(plan.size(), 0.0);
  DramChannel dram("dram", bandwidth, latency);
  DoubleBuffer ifmap("ifmap_sram"), filter("filter_sram"), ofmap("ofmap_sram");
  PeArray array("array");
  Controller controller("controller", plan, dram, ifmap, filter, ofmap, array, result);
  sc_core::sc_start();
  result.total_cycles = as_cycles(sc_core::sc_time_stamp());
  result.dram_busy_cycles = dram.busy;
  result.array_busy_cycles = array.busy;
  result.transactions = dram.transfers;
  return result;
}

void add_systemc_results(Doc& doc) {
  const Doc* bw = doc.path("config.bandwidth_words_per_cycle");
  const Doc* lat = doc.path("config.dram_latency_cycles");
  const double bandwidth = bw ? bw->as_number().value_or(0) : 0, latency = lat ? lat->as_number().value_or(0) : 0;
  std::vector<FoldPlan> plan;
  if (!doc.find("layers") || !doc.find("layers")->is_list()) return;
  Doc& layers = doc["layers"];
  // The array's layers only: the vector unit's work is not fold by fold.
  auto on_array = [](const Doc& l) { return !l.find("unit") || l.find("unit")->as_string() != "vector"; };
  for (const auto& l : layers.as_list()) {
    if (!on_array(l)) continue;
    FoldPlan p;
    p.name = l.find("name")->as_string();
    p.folds = static_cast<std::int64_t>(*l.find("folds")->as_number());
    // SCALE-Sim's compute total is the last cycle's index: a count of total + repeat cycles.
    const double repeat = l.find("repeat") ? *l.find("repeat")->as_number() : 1;
    p.fold_cycles = (*l.path("cycles.compute")->as_number() + repeat) / static_cast<double>(p.folds);
    auto dram = [&](const char* k) { return *l.path(std::string("traffic_words.dram.") + k)->as_number() / static_cast<double>(p.folds); };
    p.ifmap_words = dram("ifmap_reads");
    p.filter_words = dram("filter_reads");
    p.ofmap_words = dram("ofmap_reads") + dram("ofmap_writes");
    plan.push_back(p);
  }
  // Each fold is a few SystemC events: bound the run before it starts (a 10000^3 GEMM on a 1x1
  // array is 10^12 folds).
  double folds = 0;
  for (const auto& p : plan) folds += static_cast<double>(p.folds);
  if (folds > kMaxSystemcFolds)
    throw InputError("--systemc: the model runs in " + format_number(folds) + " folds, more than the " +
                     format_number(kMaxSystemcFolds) + " the SystemC run simulates; drop --systemc or use a larger array");
  const FoldSimResult r = simulate_folds(plan, bandwidth, latency);
  std::size_t i = 0;
  double stalls = 0;
  for (auto& l : layers.as_list()) {
    if (!on_array(l)) continue;
    l.set("systemc_stall_cycles", r.stall_cycles[i]);
    stalls += r.stall_cycles[i++];
  }
  Doc& s = doc["systemc"] = Doc::map();
  s.set("model", "SystemC 2.3.4: DRAM channel, double-buffered ifmap/filter/ofmap SRAMs, PE array and controller, one "
                 "burst per fold; a layer's traffic spread evenly over its folds");
  s.set("bandwidth_words_per_cycle", bandwidth);
  s.set("dram_latency_cycles", latency);
  s.set("prologue_cycles", r.prologue_cycles);
  s.set("stall_cycles", stalls);
  s.set("total_cycles", r.total_cycles);
  s.set("dram_busy_cycles", r.dram_busy_cycles);
  s.set("array_busy_cycles", r.array_busy_cycles);
  s.set("transactions", r.transactions);
}

}  // namespace sml::accel
