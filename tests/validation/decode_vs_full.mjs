#!/usr/bin/env node
// Numeric check of sml-compose's decode parts (issue 13), run by hand, not by ctest (it needs
// onnxruntime-node from npm, which the build does not): with the same seeded random weights
// (`--weights random --seed S`, drawn per tensor name, so every part holds the whole graph's values),
//   - a decoder-only LM run as its prefill (`--decode once`) and one step per token
//     (`--decode step --cache L`), each step fed the cache the earlier parts wrote
//     (present.I.{key,value} appended to past_key_values.I.{key,value}), gives the logits the
//     full-sequence graph gives at the same positions;
//   - an encoder-decoder run as its once part (present.I.encoder.*) and its steps gives the
//     logits of the teacher-forced whole graph.
//   - a speech or image front end's encoder-decoder (Whisper's convolution stem, BLIP's ViT with a
//     BERT decoder) the same way, its once part fed the mel frames or pixels;
//   - SpeechT5's TTS run as once part, steps (each reading one mel frame and the speaker x-vector,
//     giving two frames and two stop logits) and the part after the steps (post-net and vocoder over
//     the steps' frames) gives the whole graph's stop logits and waveform.
// The models are small compositions built from the same cores and keys as the catalogue's
// GPT-2, Llama (grouped-query attention, rotary, q/k/v biases as Qwen2), Mistral (sliding window),
// Phi-2 (parallel block, partial rotary), T5 (relative position bias), BART (learned positions
// with offset 2, post-norm), Whisper, BLIP captioning and SpeechT5 TTS, so a run takes seconds.
// SpeechT5's pre-net dropout (kept on at inference, a Bernoulli draw per run) is 0 here: with it the
// two runs could not be compared.
//
// Usage: NODE_PATH=/path/to/node_modules node tests/validation/decode_vs_full.mjs [build/tools/sml-compose]
// (`npm install onnxruntime-node` in a folder outside the repository; on Linux x64 set
// ONNXRUNTIME_NODE_INSTALL_CUDA=skip when nuget.org cannot be reached). Without onnxruntime-node it
// prints SKIP and exits 0. Exit 1 when any model's logits differ.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
let ort;
try {
  // NODE_PATH is honoured by require (not by import): the package lives outside the repository.
  ort = createRequire(join(process.cwd(), "noop.js"))("onnxruntime-node");
} catch (e) {
  console.log("SKIP: onnxruntime-node is not installed (npm install onnxruntime-node in a folder outside the repository, " +
              "then run with NODE_PATH=that/node_modules); nothing was checked");
  process.exit(0);
}
const compose = resolve(process.argv[2] || join(root, "build/tools/sml-compose"));
const work = mkdtempSync(join(tmpdir(), "sml-decode-"));
const SEED = 7;
const TOL = 2e-4;  // float32 sums in another order; logits here are of order 0.1–1

function build(name, yaml, args) {
  const out = join(work, name + ".onnx");
  const r = spawnSync(compose, ["-", "-q", "--weights", "random", "--seed", String(SEED), ...args, "-o", out], { input: yaml, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sml-compose ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return out;
}

const sessions = new Map();
async function run(path, feeds) {
  if (!sessions.has(path)) sessions.set(path, await ort.InferenceSession.create(path));
  return sessions.get(path).run(feeds);
}

const ids = (values) => new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), [1, values.length]);

// (1, h, A, d) and (1, h, B, d) float tensors joined on axis 2; KEEP > 0 keeps the last KEEP rows.
function append(a, b, keep = 0) {
  const [n, h, la, d] = a ? a.dims : [1, b.dims[1], 0, b.dims[3]];
  const lb = b.dims[2], all = la + lb, from = keep > 0 ? Math.max(0, all - keep) : 0, len = all - from;
  const out = new Float32Array(n * h * len * d);
  for (let i = 0; i < h; ++i)
    for (let t = from; t < all; ++t) {
      const src = t < la ? a.data.subarray((i * la + t) * d, (i * la + t + 1) * d) : b.data.subarray((i * lb + t - la) * d, (i * lb + t - la + 1) * d);
      out.set(src, (i * len + t - from) * d);
    }
  return new ort.Tensor("float32", out, [n, h, len, d]);
}

// Row POS of a (1, S, V) logits tensor.
const row = (t, pos) => t.data.subarray(pos * t.dims[2], (pos + 1) * t.dims[2]);

function compare(want, got) {
  let diff = 0, scale = 0;
  for (let i = 0; i < want.length; ++i) {
    diff = Math.max(diff, Math.abs(want[i] - got[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return { diff, scale };
}

function tokens(n, vocab, salt) {
  const out = [];
  let x = 12345 + salt;
  for (let i = 0; i < n; ++i) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(x % vocab);
  }
  return out;
}

const VOCAB = 50;
const lm = (name, body, { prompt = 8, steps = 5, window = 0 } = {}) => ({
  name, kind: "decoder-only", prompt, steps, window,
  yaml: `sml: composition/v1\nname: ${name}\ninput: {name: input_ids, shape: [1, ${prompt + steps - 1}], dtype: int64}\n` +
        `decode: {input: input_ids, prompt_tokens: ${prompt}, output_tokens: ${steps}}\ncores:\n${body}`,
});
const s2s = (name, body, { source = 10, target = 6 } = {}) => ({
  name, kind: "encoder-decoder", target,
  yaml: `sml: composition/v1\nname: ${name}\ninput: {name: input_ids, shape: [1, ${source}], dtype: int64}\n` +
        `inputs:\n  - {name: decoder_input_ids, shape: [1, ${target}], dtype: int64}\ndecode: {input: decoder_input_ids}\ncores:\n${body}`,
  source: () => ({ input_ids: ids(tokens(source, VOCAB, 2)) }),
  decoder: tokens_in("decoder_input_ids", tokens(target, VOCAB, 3)),
});

// Feeds of a decoder reading token ids: all of them (the whole graph) or the L-th (step L).
const tokens_in = (name, values) => ({ full: () => ({ [name]: ids(values) }), step: (L) => ({ [name]: ids([values[L]]) }) });

// A float tensor of DIMS with values in [−1, 1) from the same generator as tokens().
function floats(dims, salt) {
  const n = dims.reduce((a, b) => a * b, 1), v = tokens(n, 1 << 20, salt);
  return new ort.Tensor("float32", Float32Array.from(v, (x) => x / (1 << 19) - 1), dims);
}

// Rows [from, to) of axis 1 of a (1, T, ...) tensor, as a flat array.
const rows = (t, from, to) => { const w = t.data.length / t.dims[1]; return t.data.subarray(from * w, to * w); };

// Feeds joined on axis 1 ((1, T, C) float tensors), for SpeechT5's spectrogram of the steps' frames.
function join1(a, b) {
  if (!a) return b;
  const out = new Float32Array(a.data.length + b.data.length);
  out.set(a.data); out.set(b.data, a.data.length);
  return new ort.Tensor("float32", out, [1, a.dims[1] + b.dims[1], ...a.dims.slice(2)]);
}

function speecht5(vocoder) {
  // 6 steps of 2 frames of 8 mel bins; the step's `output` is its 2 frames, `output_2` its stop logits.
  const mel = floats([1, 6, 8], 6), spk = floats([1, 16], 7);
  return {
    name: vocoder ? "speecht5_like" : "speecht5_postnet_like", kind: "encoder-decoder", target: 6, reduction: 2,
    yaml: `sml: composition/v1
name: ${vocoder ? "speecht5_like" : "speecht5_postnet_like"}
input: {name: input_ids, shape: [1, 10], dtype: int64}
decode: {input: decoder_input_values, output_tokens: 6, every_step: [speaker_embeddings], after: speech_decoder_postnet}
inputs:
- {name: decoder_input_values, shape: [1, 6, 8], dtype: float32}
- {name: speaker_embeddings, shape: [1, 16], dtype: float32}
cores:
- {core: speecht5_text_prenet, vocab: 20, dim: 32, scope: speecht5.encoder.prenet}
- {core: speecht5_encoder, heads: 4, mlp_dim: 64, max_relative: 4, repeat: 2, name: encoder, scope: speecht5.encoder.wrapped_encoder}
- {core: speecht5_speech_prenet, units: 16, layers: 2, dim: 32, dropout: 0, speaker: speaker_embeddings, from: decoder_input_values, scope: speecht5.decoder.prenet}
- {core: seq2seq_decoder, heads: 4, mlp_dim: 64, norm: post, act: gelu, eps: 0.00001, memory: encoder, repeat: 2, scope: speecht5.decoder.wrapped_decoder.layers}
- {core: speecht5_postnet, mel_bins: 8, reduction: 2, units: 16, kernel: 5, layers: 5, scope: speech_decoder_postnet}
${vocoder ? "- {core: hifigan, channels: 16, rates: [2, 2], kernels: [4, 4], res_kernels: [3, 5], res_dilations: [1, 3], slope: 0.1, channels_last: true, normalize_before: true, role: head, scope: vocoder}\n" : ""}`,
    source: () => ({ input_ids: ids(tokens(10, 20, 2)) }),
    decoder: {
      full: () => ({ decoder_input_values: mel, speaker_embeddings: spk }),
      step: (L) => ({ decoder_input_values: new ort.Tensor("float32", rows(mel, L, L + 1).slice(), [1, 1, 8]), speaker_embeddings: spk }),
    },
  };
}

const models = [
  lm("gpt2_like", `  - {core: token_embed, vocab: ${VOCAB}, dim: 32, max_positions: 16, token_types: 0, norm: false, name: wte}
  - {core: transformer_decoder, heads: 4, mlp_dim: 64, norm: pre, eps: 0.00001, repeat: 2}
  - {core: layer_norm, eps: 0.00001}
  - {core: token_head, tie: wte}
`),
  lm("llama_gqa_like", `  - {core: token_embed, vocab: ${VOCAB}, dim: 32, max_positions: 0, token_types: 0, norm: false}
  - {core: llama_decoder, heads: 4, kv_heads: 2, mlp_dim: 64, eps: 0.00001, qkv_bias: true, repeat: 2}
  - {core: rms_norm, eps: 0.00001}
  - {core: token_head, num_classes: ${VOCAB}, bias: false}
`),
  lm("mistral_window_like", `  - {core: token_embed, vocab: ${VOCAB}, dim: 32, max_positions: 0, token_types: 0, norm: false}
  - {core: llama_decoder, heads: 4, kv_heads: 2, mlp_dim: 64, eps: 0.00001, sliding_window: 4, repeat: 2}
  - {core: rms_norm, eps: 0.00001}
  - {core: token_head, num_classes: ${VOCAB}, bias: false}
`, { window: 4 }),
  lm("phi_like", `  - {core: token_embed, vocab: ${VOCAB}, dim: 32, max_positions: 0, token_types: 0, norm: false}
  - {core: phi_decoder, heads: 4, mlp_dim: 64, partial_rotary: 0.5, eps: 0.00001, repeat: 2}
  - {core: layer_norm, eps: 0.00001}
  - {core: token_head, num_classes: ${VOCAB}, bias: true}
`),
  s2s("t5_like", `  - {core: seq2seq_embed, vocab: ${VOCAB}, dim: 32, positions: none, name: shared, scope: shared}
  - {core: t5_stack, heads: 4, d_kv: 8, mlp_dim: 64, ffn: relu, buckets: 32, max_distance: 128, eps: 0.000001, repeat: 2, name: encoder, scope: encoder.block}
  - {core: seq2seq_embed, tie: shared, positions: none, from: decoder_input_ids, scope: decoder.embed_tokens}
  - {core: t5_stack, heads: 4, d_kv: 8, mlp_dim: 64, ffn: relu, buckets: 32, max_distance: 128, eps: 0.000001, memory: encoder, tied_output_scale: true, repeat: 2, scope: decoder.block}
  - {core: token_head, tie: shared}
`),
  s2s("bart_like", `  - {core: seq2seq_embed, vocab: ${VOCAB}, dim: 32, positions: learned, max_positions: 32, position_offset: 2, norm: true, name: shared, scope: model.encoder.embed}
  - {core: seq2seq_encoder, heads: 4, mlp_dim: 64, norm: post, act: gelu, eps: 0.00001, repeat: 2, name: encoder, scope: model.encoder.layers}
  - {core: seq2seq_embed, tie: shared, positions: learned, max_positions: 32, position_offset: 2, norm: true, from: decoder_input_ids, scope: model.decoder.embed}
  - {core: seq2seq_decoder, heads: 4, mlp_dim: 64, norm: post, act: gelu, eps: 0.00001, memory: encoder, repeat: 2, scope: model.decoder.layers}
  - {core: token_head, tie: shared}
`),
  {
    name: "whisper_like", kind: "encoder-decoder", target: 6,
    yaml: `sml: composition/v1
name: whisper_like
input: {name: input_features, shape: [1, 8, 20], dtype: float32}
inputs:
  - {name: decoder_input_ids, shape: [1, 6], dtype: int64}
decode: {input: decoder_input_ids}
cores:
  - {core: whisper_conv_stem, dim: 32, max_positions: 10, scope: model.encoder}
  - {core: seq2seq_encoder, heads: 4, mlp_dim: 64, norm: pre, act: gelu, eps: 0.00001, k_bias: false, final_norm: true, repeat: 2, name: encoder, scope: model.encoder.layers}
  - {core: seq2seq_embed, vocab: ${VOCAB}, dim: 32, positions: learned, max_positions: 16, from: decoder_input_ids, name: embed_tokens, scope: model.decoder.embed}
  - {core: seq2seq_decoder, heads: 4, mlp_dim: 64, norm: pre, act: gelu, eps: 0.00001, k_bias: false, final_norm: true, memory: encoder, repeat: 2, scope: model.decoder.layers}
  - {core: token_head, tie: embed_tokens, role: head, scope: proj_out}
`,
    source: () => ({ input_features: floats([1, 8, 20], 4) }),
    decoder: tokens_in("decoder_input_ids", tokens(6, VOCAB, 3)),
  },
  {
    name: "blip_like", kind: "encoder-decoder", target: 6,
    yaml: `sml: composition/v1
name: blip_like
input: {name: pixel_values, shape: [1, 3, 32, 32], dtype: float32}
inputs:
  - {name: input_ids, shape: [1, 6], dtype: int64}
decode: {input: input_ids}
cores:
  - {core: patch_embed, patch: 8, dim: 32, scope: vision_model.embeddings}
  - {core: transformer_encoder, heads: 4, mlp_dim: 64, norm: pre, eps: 0.00001, repeat: 2, scope: vision_model.encoder.layers}
  - {core: layer_norm, eps: 0.00001, name: image, scope: vision_model.post_layernorm}
  - {core: seq2seq_embed, vocab: ${VOCAB}, dim: 32, positions: learned, max_positions: 16, norm: true, eps: 0.000000000001, from: input_ids, scope: text_decoder.bert.embeddings}
  - {core: seq2seq_decoder, heads: 4, mlp_dim: 64, norm: post, act: gelu, eps: 0.000000000001, memory: image, repeat: 2, scope: text_decoder.bert.encoder.layer}
  - {core: linear, out: 32, act: gelu, scope: text_decoder.cls.predictions.transform.dense}
  - {core: layer_norm, eps: 0.000000000001, scope: text_decoder.cls.predictions.transform.LayerNorm}
  - {core: token_head, num_classes: ${VOCAB}, role: head, scope: text_decoder.cls.predictions.decoder}
`,
    source: () => ({ pixel_values: floats([1, 3, 32, 32], 5) }),
    decoder: tokens_in("input_ids", tokens(6, VOCAB, 3)),
  },
  // SpeechT5 as the catalogue builds it (post-net, then the vocoder: the whole graph's output is the
  // waveform) and without the vocoder (the output is the post-net's refined spectrogram): with random
  // weights the vocoder's tanh saturates most samples at ±1, where a wrong spectrogram barely shows.
  speecht5(true),
  speecht5(false),
];

async function check_lm(m) {
  const n = m.prompt + m.steps - 1, text = tokens(n, VOCAB, 1);
  const full = await run(build(m.name, m.yaml, []), { input_ids: ids(text) });
  const once = await run(build(m.name + "_prefill", m.yaml, ["--decode", "once"]), { input_ids: ids(text.slice(0, m.prompt - 1)) });
  const cache = {};
  for (const [k, v] of Object.entries(once)) cache[k] = v;  // present.I.{key,value}: the prompt's first P − 1 rows
  let worst = { diff: 0, scale: 0 };
  for (let L = m.prompt - 1; L < n; ++L) {
    const feeds = { input_ids: ids([text[L]]) };
    const keep = m.window > 0 ? m.window - 1 : 0;  // a sliding window's step reads the latest W − 1
    for (const [k, v] of Object.entries(cache)) if (L > 0) feeds[k.replace("present.", "past_key_values.")] = keep ? append(null, v, keep) : v;
    const out = await run(build(`${m.name}_step${L}`, m.yaml, ["--decode", "step", "--cache", String(L)]), feeds);
    for (const k of Object.keys(cache)) cache[k] = append(cache[k], out[k]);  // the step's new rows
    const c = compare(row(full.output, L), row(out.output, 0));
    if (c.diff > worst.diff) worst = c;
  }
  return worst;
}

async function check_s2s(m) {
  const full = await run(build(m.name, m.yaml, []), { ...m.source(), ...m.decoder.full() });
  const once = await run(build(m.name + "_once", m.yaml, ["--decode", "once"]), m.source());
  const cross = {}, self = {};
  for (const [k, v] of Object.entries(once)) cross[k.replace("present.", "past_key_values.")] = v;
  let worst = { diff: 0, scale: 0 }, frames = null;
  const worse = (c) => { if (c.diff > worst.diff) worst = c; };
  for (let L = 0; L < m.target; ++L) {
    const feeds = { ...m.decoder.step(L), ...cross };
    if (L > 0) for (const [k, v] of Object.entries(self)) feeds[k.replace("present.", "past_key_values.")] = v;
    const out = await run(build(`${m.name}_step${L}`, m.yaml, ["--decode", "step", "--cache", String(L)]), feeds);
    for (const k of Object.keys(out)) if (k.startsWith("present.")) self[k] = append(self[k], out[k]);
    if (m.reduction) {  // SpeechT5: the step's stop logits are the whole graph's at its R frames
      const r = m.reduction;
      worse(compare(full.output_2.data.subarray(L * r, (L + 1) * r), out.output_2.data));
      frames = join1(frames, out.output);
    } else {
      worse(compare(row(full.output, L), row(out.output, 0)));
    }
  }
  if (m.reduction) {  // then the post-net (and vocoder) once over the steps' frames: the whole graph's output
    const after = await run(build(m.name + "_after", m.yaml, ["--decode", "after"]), { spectrogram: frames });
    worse(compare(full.output.data, after.output.data));
  }
  return worst;
}

let failed = 0;
console.log(`onnxruntime-node ${ort.env.versions.common}; ${compose}; random weights, seed ${SEED}; tolerance ${TOL}`);
try {
  for (const m of models) {
    const w = m.kind === "decoder-only" ? await check_lm(m) : await check_s2s(m);
    const how = m.kind === "decoder-only" ? `prefill of ${m.prompt - 1} tokens + ${m.steps} steps` :
                `once + ${m.target} steps${m.reduction ? " + after: stop logits and " + (m.name.includes("postnet") ? "refined frames" : "waveform") : ""}`;
    const ok = w.diff <= TOL * Math.max(1, w.scale);
    if (!ok) ++failed;
    console.log(`${ok ? "ok  " : "FAIL"} ${m.name} (${m.kind}, ${how}): max |step − full| ${w.diff.toExponential(2)} over outputs up to ${w.scale.toFixed(3)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failed ? `${failed} of ${models.length} models differ` : `all ${models.length} models: the cached steps give the full graph's outputs`);
process.exit(failed ? 1 : 0);
