#!/usr/bin/python3
"""wav2vec 2.0 and HuBERT (issue 13) against an independent implementation: Debian's torchaudio.

torchaudio.models.wav2vec2_model (python3-torchaudio 0.13.1, pytorch/audio's own code, 2022) is
instantiated with each catalogue entry's published configuration (the config.json values the
architecture file cites) and compared with the model sml-compose writes for that entry:

- parameters: torchaudio's count less the positional convolution's weight-norm vector weight_g
  (torch.nn.utils.weight_norm over dim 2: one scale per kernel tap, 128), which an exported model
  folds into the convolution's weight; must equal python3-onnx's count of the written model's
  float initializers and catalog/derived.yaml's `params`, exactly;
- MACs at the entry's 30 s of 16 kHz audio, counted by hand from torchaudio's module shapes (each
  Conv1d: output length × out channels × in channels / groups × kernel; each Linear: frames × in ×
  out; attention: two T × T × width products per layer), must equal derived.yaml's `macs`.

torchaudio's stock factories are printed beside them for reference (hubert_large() sets
conv_bias=False, where facebook/hubert-large-ls960-ft's config.json sets conv_bias true).

Not in the release suite's requirements: without torchaudio (python3-torchaudio, which brings
python3-torch; .ci/run does not install it) it prints SKIP and exits 77, which ctest reports as
skipped. Usage: speech_encoders_torchaudio.py SML-COMPOSE SOURCE-DIR
"""
import os
import subprocess
import sys
import tempfile
import warnings

import onnx
import yaml

try:
    warnings.filterwarnings("ignore")
    import torchaudio
    from torchaudio.models import wav2vec2_model
except ImportError as e:
    print(f"SKIP: torchaudio is not installed ({e}); apt-get install python3-torchaudio to run this check")
    sys.exit(77)

SAMPLES = 480000  # 30 s at 16 kHz, the `audio_s: 30` both entries are costed at
CONV = [(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512, 2, 2)] * 2  # conv_dim, conv_kernel, conv_stride (both configs)

# Each catalogue entry's configuration as its config.json states it (cited in catalog/archs/*.yaml).
ENTRIES = {
    "wav2vec2-base-960h": dict(extractor_mode="group_norm", extractor_conv_bias=False, encoder_embed_dim=768,
                               encoder_num_layers=12, encoder_num_heads=12, encoder_ff_interm_features=3072,
                               encoder_layer_norm_first=False, stock="wav2vec2_base"),
    "hubert-large-ls960-ft": dict(extractor_mode="layer_norm", extractor_conv_bias=True, encoder_embed_dim=1024,
                                  encoder_num_layers=24, encoder_num_heads=16, encoder_ff_interm_features=4096,
                                  encoder_layer_norm_first=True, stock="hubert_large"),
}
VOCAB = 32  # vocab_size of both fine-tuned checkpoints (the CTC head's outputs)


def torchaudio_model(cfg):
    return wav2vec2_model(
        extractor_mode=cfg["extractor_mode"], extractor_conv_layer_config=CONV,
        extractor_conv_bias=cfg["extractor_conv_bias"], encoder_embed_dim=cfg["encoder_embed_dim"],
        encoder_projection_dropout=0.0, encoder_pos_conv_kernel=128, encoder_pos_conv_groups=16,
        encoder_num_layers=cfg["encoder_num_layers"], encoder_num_heads=cfg["encoder_num_heads"],
        encoder_attention_dropout=0.0, encoder_ff_interm_features=cfg["encoder_ff_interm_features"],
        encoder_ff_interm_dropout=0.0, encoder_dropout=0.0, encoder_layer_norm_first=cfg["encoder_layer_norm_first"],
        encoder_layer_drop=0.0, aux_num_out=VOCAB)


def hand_macs(model, samples):
    """MACs of one forward pass over SAMPLES, from the modules' shapes (no forward run)."""
    import torch
    length, macs = samples, 0
    for block in model.feature_extractor.conv_layers:
        conv = block.conv
        length = (length - conv.kernel_size[0]) // conv.stride[0] + 1
        macs += length * conv.out_channels * conv.in_channels // conv.groups * conv.kernel_size[0]
    frames = length
    enc = model.encoder
    proj = enc.feature_projection.projection
    macs += frames * proj.in_features * proj.out_features
    pos = enc.transformer.pos_conv_embed.conv
    # padding kernel/2 on both sides gives frames + 1 outputs for an even kernel; torchaudio (as
    # fairseq and Hugging Face) computes them all and drops the last
    pos_len = frames + 2 * pos.padding[0] - pos.kernel_size[0] + 1
    macs += pos_len * pos.out_channels * pos.in_channels // pos.groups * pos.kernel_size[0]
    for layer in enc.transformer.layers:
        for m in layer.modules():
            if isinstance(m, torch.nn.Linear):
                macs += frames * m.in_features * m.out_features
        macs += 2 * frames * frames * layer.attention.embed_dim  # Q·Kᵀ and weights·V over all heads
    aux = model.aux
    macs += frames * aux.in_features * aux.out_features
    return macs, frames


def onnx_params(path):
    """Elements of the float initializers that have a shape: the rank-0 ones (const_N) are the
    graph's scalar constants (an epsilon, a scale), not learnt parameters."""
    m = onnx.load(path, load_external_data=False)
    total = 0
    for t in m.graph.initializer:
        if t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16) and len(t.dims) > 0:
            n = 1
            for d in t.dims:
                n *= d
            total += n
    return total


def main():
    compose, src = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "catalog/derived.yaml")) as f:
        derived = {row["id"]: row for row in yaml.safe_load(f)["models"]}
    failures = 0
    print(f"torchaudio {torchaudio.__version__}; {compose}")
    with tempfile.TemporaryDirectory() as tmp:
        for entry, cfg in ENTRIES.items():
            model = torchaudio_model(cfg)
            ta_params = sum(p.numel() for p in model.parameters())
            weight_g = sum(p.numel() for n, p in model.named_parameters() if n.endswith("weight_g"))
            stock = sum(p.numel() for p in getattr(torchaudio.models, cfg["stock"])(aux_num_out=VOCAB).parameters())
            macs, frames = hand_macs(model, SAMPLES)
            out = os.path.join(tmp, entry + ".onnx")
            subprocess.run([compose, "--arch", entry, "--weights", "zeros", "--external-data", "-q", "-o", out], check=True)
            ours = onnx_params(out)
            row = derived[entry]
            want = ta_params - weight_g
            checks = [("params (python3-onnx, written model)", ours, want),
                      ("params (derived.yaml)", row["params"], want),
                      (f"MACs at {SAMPLES} samples = {frames} frames (derived.yaml)", row["macs"], macs)]
            print(f"{entry}: torchaudio {ta_params:,} parameters ({cfg['stock']}(aux_num_out={VOCAB}) as shipped: {stock:,}), "
                  f"less weight_g {weight_g} = {want:,}")
            for what, got, expect in checks:
                ok = got == expect
                failures += not ok
                print(f"  {'ok  ' if ok else 'FAIL'} {what}: ours {got:,}, torchaudio {expect:,}" +
                      ("" if ok else f" ({got - expect:+,})"))
            os.remove(out)
            data = out + ".data"
            if os.path.exists(data):
                os.remove(data)
    print("all equal" if not failures else f"{failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
