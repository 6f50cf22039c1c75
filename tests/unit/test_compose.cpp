// The block library and sml-compose's edits, checked against references we did not compute:
//  - torchvision's published trainable-parameter counts (tests/models/published.json) and the
//    MACs PyTorch executes (manifest.json, tests/compose/reference.json: torch_dispatch_macs);
//  - torchvision's own width_mult/depth_mult variants (reference.json) for --width/--depth;
//  - hand derivations, written out below, where no exact figure is published.
// Every composed model must also pass libonnx's checker and strict, full shape inference.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "scratch_file.hpp"
#include "sml/catalog/models.hpp"
#include "sml/compose/compose.hpp"
#include "sml/compose/composition.hpp"
#include "sml/compose/edit.hpp"
#include "sml/compose/onnx_model.hpp"
#include "sml/cost/profile.hpp"
#include "sml/graph/onnx_reader.hpp"
#include "sml/io/error.hpp"

namespace sc = sml::compose;

namespace {

const std::string kCatalog = std::string(SML_SOURCE_DATA_DIR) + "/catalog";
const std::string kModels = SML_TEST_MODELS;
const std::string kReference = std::string(SML_TEST_MODELS) + "/../compose/reference.json";

sml::cost::Profile profile_bytes(const std::string& bytes) {
  return sml::cost::profile_model(sml::graph::parse_model(bytes, "composed", ""), {});
}

struct Built {
  sc::OnnxModel model;
  sml::cost::Profile profile;
};

Built build(sc::Composition c, const std::string& weights = "zeros") {
  const sc::BuiltModel b = sc::build_composition(c);
  Built out{sc::to_onnx(b.graph, {weights, 0, c.precision}, "test"), {}};
  CHECK(sc::check_onnx(out.model).empty());  // throws when the checker or strict inference refuses
  out.profile = profile_bytes(sc::to_bytes(out.model));
  CHECK(out.profile.uncounted.empty());
  return out;
}

Built build_arch(const std::string& arch, double width = 1, double depth = 1) {
  sc::Composition c = sc::arch_composition(arch, kCatalog);
  c.width = width;
  c.depth = depth;
  return build(c);
}

}  // namespace

TEST_SUITE("compose") {
  TEST_CASE("torchvision architectures: parameters equal the published counts, MACs equal PyTorch's") {
    const YAML::Node published = YAML::LoadFile(kModels + "/published.json");
    std::map<std::string, double> torch_macs;
    for (const auto& e : YAML::LoadFile(kModels + "/manifest.json")) torch_macs[e["model"].as<std::string>()] = e["torch_dispatch_macs"].as<double>();
    for (const std::string arch : {"resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "vit_b_16"}) {
      CAPTURE(arch);
      const Built b = build_arch(arch);
      CHECK(b.profile.params == published[arch]["num_params"].as<std::int64_t>());
      CHECK(b.profile.macs == torch_macs.at(arch));
    }
    // mobilenet_v3_small has no fixture export: torchvision's count 2,542,856 and PyTorch's MACs
    // from tests/compose/make_reference.py.
    const YAML::Node ref = YAML::LoadFile(kReference);
    const Built small = build_arch("mobilenet_v3_small");
    CHECK(small.profile.params == 2542856);
    CHECK(small.profile.macs == ref["mobilenet_v3_small"]["macs"].as<double>());
  }

  TEST_CASE("BERT-base, DistilBERT and the keyword spotter: counts derived by hand") {
    // BERT-base (L=12, H=768, A=12, FFN 3072, vocab 30522, 512 positions, 2 segments):
    //   embeddings 30522·768 + 512·768 + 2·768 + LayerNorm 2·768          = 23,837,184
    //   per layer: Q, K, V, O 4·(768² + 768) = 2,362,368; LayerNorm 1,536;
    //              FFN 768·3072 + 3072 + 3072·768 + 768 = 4,722,432; LayerNorm 1,536
    //              = 7,087,872; × 12                                        = 85,054,464
    //   pooler 768² + 768                                                   =    590,592
    //   total                                                               = 109,482,240
    // MACs at 128 tokens: per layer projections 4·128·768² = 301,989,888, attention scores and
    //   context 2·128²·768 = 25,165,824, FFN 2·128·768·3072 = 603,979,776 → 931,135,488;
    //   × 12 + pooler 768² = 11,174,215,680.
    const Built bert = build_arch("bert_base");
    CHECK(bert.profile.params == 109482240);
    CHECK(bert.profile.macs == 11174215680.0);
    // DistilBERT: no segment table, no pooler, 6 layers:
    //   30522·768 + 512·768 + 2·768 = 23,835,648; + 6 · 7,087,872 = 66,362,880.
    //   MACs 6 · 931,135,488 = 5,586,812,928.
    const Built distil = build_arch("distilbert");
    CHECK(distil.profile.params == 66362880);
    CHECK(distil.profile.macs == 5586812928.0);
    // kws_cnn on 49×10 MFCC: conv 10×4, 64 filters, stride 2, padding (4, 1) → 24×5;
    //   params: conv 10·4·64 = 2,560 + BN 128; each of 4 DS layers: depthwise 9·64 = 576 + BN
    //   128 + pointwise 64·64 = 4,096 + BN 128 = 4,928; classifier 64·12 + 12 = 780
    //   → 2,688 + 19,712 + 780 = 23,180.
    //   MACs: 24·5·64·40 = 307,200; per DS 24·5·64·(9 + 64) = 560,640, × 4 = 2,242,560; fc 768
    //   → 2,550,528.
    const Built kws = build_arch("kws_cnn");
    CHECK(kws.profile.params == 23180);
    CHECK(kws.profile.macs == 2550528.0);
  }

  TEST_CASE("--width and --depth shrink and expand as torchvision's own multipliers do") {
    const YAML::Node ref = YAML::LoadFile(kReference);
    const std::vector<std::tuple<std::string, std::string, double, double>> cases = {
        {"mobilenet_v2 width 0.5", "mobilenet_v2", 0.5, 1}, {"mobilenet_v2 width 1.4", "mobilenet_v2", 1.4, 1},
        {"mobilenet_v3_large width 0.5", "mobilenet_v3_large", 0.5, 1}, {"efficientnet_b0 depth 0.5", "efficientnet_b0", 1, 0.5},
        {"efficientnet_b0 width 0.5", "efficientnet_b0", 0.5, 1}, {"resnet50 depth 0.5", "resnet50", 1, 0.5},
        {"resnet18 depth 0.5", "resnet18", 1, 0.5}};
    for (const auto& c : cases) {
      const std::string key = std::get<0>(c);  // named, not bound: CAPTURE's lambda must see it
      CAPTURE(key);
      const Built b = build_arch(std::get<1>(c), std::get<2>(c), std::get<3>(c));
      CHECK(b.profile.params == ref[key]["params"].as<std::int64_t>());
      CHECK(b.profile.macs == ref[key]["macs"].as<double>());
    }
    // BERT at width 0.5: 384 wide, 6 heads (head size 64 kept), FFN 1536; hand count:
    //   embeddings (30522 + 512 + 2)·384 + 768 = 11,918,592; per layer 4·(384² + 384) + 768 +
    //   (384·1536 + 1536 + 1536·384 + 384) + 768 = 1,774,464; × 12 = 21,293,568; pooler 147,840.
    const Built half = build_arch("bert_base", 0.5);
    CHECK(half.profile.params == 11918592 + 21293568 + 147840);
  }

  TEST_CASE("channel rounding is torchvision's _make_divisible") {
    CHECK(sc::make_divisible(32 * 0.5, 8) == 16);
    CHECK(sc::make_divisible(1280 * 1.4, 8) == 1792);
    CHECK(sc::make_divisible(24 * 0.35, 8) == 8);   // 8.4 → 8
    CHECK(sc::make_divisible(20, 8) == 24);         // rounds half up: 20 + 4 = 24
    CHECK(sc::make_divisible(7.6, 8) == 8);         // never below the divisor
    CHECK(sc::make_divisible(90 * 1.0, 8) == 88);   // 88 ≥ 0.9 · 90, so it stays
    CHECK(sc::scaled_channels(1280, 0.5, 8, "grow") == 1280);
    CHECK(sc::scaled_channels(64, 0.5, 8, "fixed") == 64);
    CHECK(sc::scaled_repeats(3, 0.5) == 2);
    CHECK(sc::scaled_repeats(1, 0.1) == 1);
  }

  TEST_CASE("a composed model re-imported and re-profiled gives the same numbers") {
    const Built first = build_arch("mobilenet_v3_small");
    const std::string bytes = sc::to_bytes(first.model);
    sc::OnnxModel again = sc::read_onnx("composed.onnx", &bytes);
    sc::check_onnx(again);
    const auto p = profile_bytes(sc::to_bytes(again));
    CHECK(p.params == first.profile.params);
    CHECK(p.macs == first.profile.macs);
    CHECK(p.layers.size() == first.profile.layers.size());
  }

  TEST_CASE("a head swap changes exactly the head") {
    Built r18 = build_arch("resnet18", 1, 1);
    const auto before = r18.profile;
    const sc::HeadInfo h = sc::find_head(r18.model);
    CHECK(h.op == "Gemm");
    CHECK(h.in_features == 512);
    CHECK(h.classes == 1000);
    sc::replace_head(r18.model, sml::compose::parse_core_spec("classifier:num_classes=10", "test"), 0, false, {"random", 1, "fp32"});
    sc::check_onnx(r18.model);
    const auto after = profile_bytes(sc::to_bytes(r18.model));
    // The old head (GlobalAveragePool, Flatten, Gemm 512→1000) held 512·1000 + 1000 parameters
    // and 512·1000 MACs; the new one holds 512·10 + 10 and 5,120 MACs. Nothing else moves.
    CHECK(before.params - after.params == (512 * 1000 + 1000) - (512 * 10 + 10));
    CHECK(before.macs - after.macs == 512 * 1000 - 512 * 10);
    std::map<std::string, std::pair<std::int64_t, double>> backbone;
    for (const auto& l : before.layers)
      if (l.name.rfind("head.", 0) != 0) backbone[l.name] = {l.params, l.macs};
    int same = 0;
    for (const auto& l : after.layers) {
      auto it = backbone.find(l.name);
      if (it == backbone.end()) continue;
      CHECK(it->second.first == l.params);
      CHECK(it->second.second == l.macs);
      ++same;
    }
    CHECK(same == static_cast<int>(backbone.size()));
  }

  TEST_CASE("--num-classes resizes only the final linear layer; --cut-at keeps the backbone") {
    Built r18 = build_arch("resnet18");
    sc::set_num_classes(r18.model, 37, {"zeros", 0, "fp32"});
    sc::check_onnx(r18.model);
    const auto p = profile_bytes(sc::to_bytes(r18.model));
    CHECK(p.params == 11689512 - (512 + 1) * (1000 - 37));
    // Cut after layer4: ResNet-18 without its head is 11,689,512 − 513,000 = 11,176,512.
    Built cut = build_arch("resnet18");
    sc::cut_at(cut.model, "layer4.1.relu");
    sc::check_onnx(cut.model);
    const auto c = profile_bytes(sc::to_bytes(cut.model));
    CHECK(c.params == 11176512);
    CHECK(c.outputs.at(0).second == "1x512x7x7");
    CHECK_THROWS_AS(sc::cut_at(cut.model, "layer9"), sml::InputError);
  }

  TEST_CASE("head swap on a torchvision export (shape-only fixture, symbolic batch)") {
    const std::string path = kModels + "/resnet18.onnx";
    sc::OnnxModel m = sc::read_onnx(path);
    const sc::HeadInfo h = sc::find_head(m);
    CHECK(h.classes == 1000);
    sc::set_num_classes(m, 10, {"random", 0, "fp32"});
    sc::check_onnx(m, false);
    // The export folds BatchNorm (11,684,712 stored parameters, manifest.json); the head loses
    // 513 · 990.
    CHECK(profile_bytes(sc::to_bytes(m)).params == 11684712 - 513 * 990);
  }

  TEST_CASE("weights: seeded, zeros, fp16, copied by name and shape; freeze marks the backbone") {
    sc::Composition c = sc::arch_composition("kws_cnn", kCatalog);
    const auto b = sc::build_composition(c);
    const std::string a1 = sc::to_bytes(sc::to_onnx(b.graph, {"random", 1, "fp32"}, "t"));
    const std::string a2 = sc::to_bytes(sc::to_onnx(b.graph, {"random", 1, "fp32"}, "t"));
    const std::string b2 = sc::to_bytes(sc::to_onnx(b.graph, {"random", 2, "fp32"}, "t"));
    CHECK(a1 == a2);
    CHECK(a1 != b2);
    sc::OnnxModel half = sc::to_onnx(b.graph, {"random", 1, "fp16"}, "t");
    sc::check_onnx(half);
    const auto full_sum = sc::summarize(sc::to_onnx(b.graph, {"random", 1, "fp32"}, "t"));
    const auto half_sum = sc::summarize(half);
    CHECK(half_sum.stored_elements == full_sum.stored_elements);
    CHECK(half_sum.bytes < 0.51 * full_sum.bytes + 64);  // shape data (int64) stays as it is
    // from:OTHER.onnx: every tensor of the same model matches by name and shape.
    const std::string source = testing::scratch_file("compose-weights-source.onnx");
    sc::OnnxModel seeded = sc::to_onnx(b.graph, {"random", 1, "fp32"}, "t");
    sc::write_onnx(seeded, source, {}, false);
    sc::OnnxModel target = sc::to_onnx(b.graph, {"zeros", 0, "fp32"}, "t");
    const std::string line = sc::copy_weights(target, source);
    CHECK(line.find(std::to_string(b.graph.initializers().size()) + " tensors copied") != std::string::npos);
    CHECK(sc::to_bytes(target) == a1);
    // A wider model: same names, other shapes; only the classifier's bias (12) still fits.
    c.width = 2;
    sc::OnnxModel wide = sc::to_onnx(sc::build_composition(c).graph, {"zeros", 0, "fp32"}, "t");
    CHECK(sc::copy_weights(wide, source).find(": 1 tensors copied (12 values)") != std::string::npos);
    // Another model altogether (MobileNetV2: a 32-channel stem): nothing matches, which is an
    // error, not a silent no-op.
    sc::OnnxModel other = sc::to_onnx(sc::build_composition(sc::arch_composition("mobilenet_v2", kCatalog)).graph, {"zeros", 0, "fp32"}, "t");
    CHECK_THROWS_AS(sc::copy_weights(other, source), sml::InputError);
    std::filesystem::remove(source);
    // Freeze: the backbone is every trainable tensor but the head's 64·12 + 12.
    sc::OnnxModel fr = sc::to_onnx(b.graph, {"zeros", 0, "fp32"}, "t");
    sc::freeze(fr, "backbone");
    CHECK(sc::metadata(fr, "sml.frozen_params") == std::to_string(23180 - 780));
  }

  TEST_CASE("the other cores: examples/compositions build, pass the checker, and count as derived by hand") {
    const std::string dir = std::string(SML_SOURCE_DATA_DIR) + "/examples/compositions/";
    // speech_ctc: conv1d front end, 128 channels, no bias: 128·1·10 + 4·128·128·3 + 2·128·128·2
    //   = 1,280 + 196,608 + 65,536 = 263,424. Bidirectional LSTM, H = 128 (PyTorch's count per
    //   direction 4H(F+H) + 8H, two bias vectors): F = 128: 2·(4·128·256 + 1,024) = 264,192;
    //   F = 256: 2·(4·128·384 + 1,024) = 395,264. CTC: 256·29 + 29 = 7,453. Total 930,333.
    const Built speech = build(sc::load_composition(dir + "speech_ctc.yaml"));
    CHECK(speech.profile.params == 930333);
    CHECK(speech.profile.outputs.at(0).second == "1x49x29");
    // tiny_gpt: embeddings 8192·256 + 128·256 = 2,129,920; per decoder block 4·(256² + 256)
    //   + 2·512 (LayerNorms) + 256·1024 + 1024 + 1024·256 + 256 = 789,760, × 4 = 3,159,040;
    //   final LayerNorm 512; next-token head 256·8192 + 8192 = 2,105,344. Total 7,394,816.
    const Built gpt = build(sc::load_composition(dir + "tiny_gpt.yaml"));
    CHECK(gpt.profile.params == 7394816);
    CHECK(gpt.profile.outputs.at(0).second == "1x128x8192");
    // SSDlite head at stride 16 of 320: 20·20 cells × 6 anchors = 2,400 boxes, 21 scores and 4
    // offsets each.
    const Built det = build(sc::load_composition(dir + "detector_ssdlite.yaml"));
    REQUIRE(det.profile.outputs.size() == 2);
    CHECK(det.profile.outputs[0].second == "1x2400x21");
    CHECK(det.profile.outputs[1].second == "1x2400x4");
    // LR-ASPP: per-pixel scores at the input's resolution.
    const Built seg = build(sc::load_composition(dir + "segmenter_lraspp.yaml"));
    CHECK(seg.profile.outputs.at(0).second == "1x4x256x256");
    // GRU (PyTorch: 3H(F+H) + 6H) and an encoder-decoder with cross-attention, inline.
    const Built gru = build(sc::parse_composition(
        "sml: composition/v1\ninput: {shape: [1, 20, 40]}\ncores:\n  - {core: gru, hidden: 64}\n", "gru"));
    CHECK(gru.profile.params == 3 * 64 * (40 + 64) + 6 * 64);
    // Encoder-decoder, D = 64, MLP 128, one layer each: encoder 4·(64² + 64) + 2·128 + (64·128 +
    //   128 + 128·64 + 64) = 16,640 + 256 + 16,576 = 33,472; decoder adds a cross-attention and
    //   its LayerNorm: 33,472 + 16,640 + 128 = 50,240.
    const Built encdec = build(sc::parse_composition(
        "sml: composition/v1\ninput: {shape: [1, 10, 64]}\ncores:\n"
        "  - {core: transformer_encoder, heads: 4, mlp_dim: 128, name: memory}\n"
        "  - {core: transformer_decoder, heads: 4, mlp_dim: 128, memory: memory}\n", "encdec"));
    CHECK(encdec.profile.params == 33472 + 50240);
  }

  TEST_CASE("a frozen backbone is costed as fine-tuning: no backward pass before the first layer that trains") {
    sc::Composition c = sc::arch_composition("resnet18", kCatalog);
    c.num_classes = 10;
    sc::OnnxModel m = sc::to_onnx(sc::build_composition(c).graph, {"zeros", 0, "fp32"}, "t");
    const auto full = profile_bytes(sc::to_bytes(m));
    CHECK(full.frozen_params == 0);
    for (double w : sml::cost::training_work(full, 3)) CHECK(w == 3);  // nothing frozen: 3 × forward throughout
    sc::freeze(m, "backbone");
    const auto p = profile_bytes(sc::to_bytes(m));
    // Everything but the 512·10 + 10 head is frozen (the stem too: backbone is all but the head).
    CHECK(p.frozen_params == 11181642 - 5130);
    // Only the head trains: every layer runs forward once; the head's Gemm (2·512·10 + 10 =
    // 10,250 FLOPs) also its two backward halves. Nothing comes after it.
    const auto work = sml::cost::training_work(p, 3);
    double step = 0;
    for (std::size_t i = 0; i < work.size(); ++i) step += work[i] * p.layers[i].flops;
    CHECK(step == doctest::Approx(p.flops + 2 * 10250.0).epsilon(1e-12));
    // Freezing only the stem: it and the max-pool after it (no weights, before anything that
    // trains) run forward only; everything from layer1 on trains (3x), so the saving is exactly
    // 2 × the forward FLOPs of stem and max-pool.
    sc::OnnxModel stem = sc::to_onnx(sc::build_composition(c).graph, {"zeros", 0, "fp32"}, "t");
    sc::freeze(stem, "stem");
    const auto ps = profile_bytes(sc::to_bytes(stem));
    const auto ws = sml::cost::training_work(ps, 3);
    double step_stem = 0, stem_flops = 0;
    for (std::size_t i = 0; i < ws.size(); ++i) {
      step_stem += ws[i] * ps.layers[i].flops;
      const std::string& n = ps.layers[i].name;
      if (n.rfind("stem.", 0) == 0 || n.rfind("maxpool.", 0) == 0) stem_flops += ps.layers[i].flops;
    }
    CHECK(stem_flops > 0);
    CHECK(step_stem == doctest::Approx(3 * ps.flops - 2 * stem_flops).epsilon(1e-12));
  }

  TEST_CASE("sml.composition rebuilds the model, edits included") {
    sc::ComposeOptions o;
    o.arch = "resnet18";
    o.catalog_dir = kCatalog;
    o.width = 0.5;
    o.replace_head = "classifier:num_classes=7,hidden=64";
    o.weights = "zeros";
    sc::ComposeResult r = sc::compose(o);
    const std::string bytes = sc::to_bytes(r.model);
    const sc::Composition again = sc::parse_composition(sc::metadata(r.model, "sml.composition"), "metadata");
    CHECK(again.width == 0.5);
    const sc::OnnxModel rebuilt = sc::to_onnx(sc::build_composition(again).graph, {"zeros", 0, "fp32"}, "t");
    const auto p1 = profile_bytes(bytes), p2 = profile_bytes(sc::to_bytes(rebuilt));
    CHECK(p1.params == p2.params);
    REQUIRE(p1.layers.size() == p2.layers.size());
    for (std::size_t i = 0; i < p1.layers.size(); ++i) CHECK(p1.layers[i].name == p2.layers[i].name);  // the head kept its scope
    CHECK(p1.layers.back().name.rfind("head.", 0) == 0);
  }

  TEST_CASE("every architecture the model catalogue names is one sml-compose can build") {
    const auto archs = sc::list_archs(kCatalog);
    int named = 0;
    for (const auto& m : sml::catalog::load_models(kCatalog + "/models")) {
      if (m.arch.empty()) continue;
      CAPTURE(m.id);
      CHECK(std::find(archs.begin(), archs.end(), m.arch) != archs.end());
      ++named;
    }
    CHECK(named >= 10);
  }

  TEST_CASE("composition errors name the file, line and key") {
    const std::string text =
        "sml: composition/v1\ninput: {shape: [1, 3, 32, 32]}\ncores:\n  - {core: conv_bn_act, out: 8}\n  - {core: basic_block, outt: 8}\n";
    try {
      sc::build_composition(sc::parse_composition(text, "bad.yaml"));
      FAIL("accepted an unknown key");
    } catch (const sml::InputError& e) {
      const std::string m = e.what();
      CHECK(m.find("bad.yaml:5") != std::string::npos);
      CHECK(m.find("'outt'") != std::string::npos);
    }
    CHECK_THROWS_AS(sc::build_composition(sc::parse_composition(
                        "sml: composition/v1\ninput: {shape: [1, 3, 32, 32]}\ncores:\n  - {core: warp_drive}\n", "x")),
                    sml::InputError);
    // Too many downsamplings for the input: a clear error, not a zero-sized tensor.
    CHECK_THROWS_AS(sc::build_composition(sc::parse_composition(
                        "sml: composition/v1\ninput: {shape: [1, 3, 8, 8]}\ncores:\n  - {core: max_pool, kernel: 4}\n  - {core: max_pool, kernel: 4}\n", "x")),
                    sml::InputError);
  }
}
