"""Which models make_fixtures.py builds: the torchvision exports (MODELS, BN_VARIANT) and those
built only when named (ON_REQUEST), with the wrappers that pick their outputs."""
import torch
import torchvision

from fixture_torch import VOCAB

# ---------------------------------------------------------------------------
# model list
# ---------------------------------------------------------------------------

class SegOut(torch.nn.Module):
    """Segmentation models return a dict; export only out["out"]."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def _classification(name):
    return lambda: getattr(torchvision.models, name)(weights=None)


def _segmentation(name):
    return lambda: getattr(torchvision.models.segmentation, name)(
        weights=None, weights_backbone=None)


# (file stem, torchvision name, builder, input shape, is_segmentation)
MODELS = [
    ("resnet18", "resnet18", _classification("resnet18"), [1, 3, 224, 224], False),
    ("resnet50", "resnet50", _classification("resnet50"), [1, 3, 224, 224], False),
    ("mobilenet_v2", "mobilenet_v2", _classification("mobilenet_v2"), [1, 3, 224, 224], False),
    ("mobilenet_v3_large", "mobilenet_v3_large", _classification("mobilenet_v3_large"), [1, 3, 224, 224], False),
    ("efficientnet_b0", "efficientnet_b0", _classification("efficientnet_b0"), [1, 3, 224, 224], False),
    ("vit_b_16", "vit_b_16", _classification("vit_b_16"), [1, 3, 224, 224], False),
    ("convnext_tiny", "convnext_tiny", _classification("convnext_tiny"), [1, 3, 224, 224], False),
    ("squeezenet1_0", "squeezenet1_0", _classification("squeezenet1_0"), [1, 3, 224, 224], False),
    ("densenet121", "densenet121", _classification("densenet121"), [1, 3, 224, 224], False),
    ("deeplabv3_mobilenet_v3_large", "deeplabv3_mobilenet_v3_large",
     _segmentation("deeplabv3_mobilenet_v3_large"), [1, 3, 520, 520], True),
]
if hasattr(torchvision.models, "swin_t"):
    MODELS.append(("swin_t", "swin_t", _classification("swin_t"), [1, 3, 224, 224], False))

# resnet18 exported a second time with BatchNormalization kept unfolded.
BN_VARIANT = ("resnet18_bn", "resnet18", _classification("resnet18"), [1, 3, 224, 224], False)


class DetOut(torch.nn.Module):
    """Detection models return a list of dicts (one per image); export the
    boxes, scores and labels of the single image."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        out = self.model(x)[0]
        return out["boxes"], out["scores"], out["labels"]


class TinySeq2Seq(torch.nn.Module):
    """A small encoder-decoder Transformer on token ids: one embedding
    (VOCAB x 64) shared by source and target tokens, nn.Transformer
    (batch_first), and a Linear(64, VOCAB) to logits. No masks."""

    def __init__(self, d_model=64):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, d_model)
        self.transformer = torch.nn.Transformer(
            d_model=d_model, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
            dim_feedforward=128, batch_first=True)
        self.generator = torch.nn.Linear(d_model, VOCAB)

    def forward(self, src, tgt):
        return self.generator(self.transformer(self.embed(src), self.embed(tgt)))


def _detection(name):
    return lambda: getattr(torchvision.models.detection, name)(
        weights=None, weights_backbone=None)


# Built only when named on the command line.
# (file stem, model name, builder, wrapper, inputs [(name, shape, dtype)],
#  output names, note)
ON_REQUEST = [
    ("fasterrcnn_mobilenet_v3_large_320_fpn", "fasterrcnn_mobilenet_v3_large_320_fpn",
     _detection("fasterrcnn_mobilenet_v3_large_320_fpn"), DetOut,
     [("input", [1, 3, 320, 320], "float32")], ["boxes", "scores", "labels"],
     "Detection model, fixed batch 1. Its transform resizes the image by a "
     "computed scale (Resize with runtime scales), so onnx shape inference "
     "loses the spatial dims: reference_macs_conv_gemm_matmul only counts the "
     "16 squeeze-excitation Convs after GlobalAveragePool (the others are in "
     "unknown_shape_nodes). torch_dispatch_macs is one run on the seeded "
     "random input: its box-head part (addmm) scales with the proposals the RPN "
     "passes on (rpn_proposals_per_image), which depend on data and weights; "
     "torch_dispatch_macs_by_op splits it."),
    ("tiny_transformer_seq2seq", "tiny_transformer_seq2seq", TinySeq2Seq, None,
     [("src", [1, 16], "int64"), ("tgt", [1, 12], "int64")], ["output"],
     "Not a torchvision model: torchvision_params is the PyTorch parameter count "
     "of TinySeq2Seq (shared embedding counted once)."),
]
