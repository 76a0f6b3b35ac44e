#!/usr/bin/env python3
"""Build a random-weight CLIP with the real architecture, export both towers to ONNX in the
Hugging Face / Xenova layout, and (for --size tiny) write reference outputs computed by
`transformers` itself for the TypeScript pipeline (libs/clip) to reproduce.

Nothing is downloaded: the config and tokenizer come from --source-dir (a folder holding the
real clip-vit-base-patch32 config.json, preprocessor_config.json and tokenizer files).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import PIL
import tokenizers
import torch
import transformers
from PIL import Image, ImageOps
from transformers import (
    CLIPConfig,
    CLIPImageProcessorPil,
    CLIPModel,
    CLIPTextModelWithProjection,
    CLIPTokenizerFast,
    CLIPVisionModelWithProjection,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = 0
OPSET = 17
MAX_LENGTH = 77
COPIED_FILES = [
    "preprocessor_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "merges.txt",
]

# Only widths and depths change; vocab, positions, image/patch size, activation, token ids
# and everything else are kept as in the source config.
TINY_TEXT = dict(hidden_size=32, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2)
TINY_VISION = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4)
TINY_PROJECTION_DIM = 32

TEXTS = [
    "a photo of a cat",
    "Red Linen Shirt Fabric",
    "UPPERCASE TEXT WITH NUMBERS 2024",
    "  extra   spaces\tand\ttabs\nand\nnewlines  ",
    "Hello, world! How are you? (fine) [ok] {yes} #1 @home ~tilde~",
    "it's a dog, don't you think? I'm sure they'll say we've IT'S DON'T",
    "120 gsm, 3.5mm",
    "3.14159 1,000,000 42nd 007",
    "café crème brûlée",
    "naïve résumé Ångström straße",
    "红色的亚麻衬衫",
    "赤いリネンのシャツ、カタカナ",
    "빨간 리넨 셔츠",
    "قميص كتان أحمر",
    "🐱🚀",
    "emoji mix: ❤️ 👍🏽 👨‍👩‍👧",
    "blue/green striped cotton-poly blend (60%/40%)",
    "hyphenated-words and under_scores and dots... and &amp; <b>tags</b>",
    "grey herringbone wool, opaque",
    "",
    "   ",
    "a",
    # 75 words + start + end = exactly 77 tokens (no truncation)
    " ".join(["a"] * 75),
    # 76 words: one too many, the end token must still be kept
    " ".join(["a"] * 76),
    "x" * 333,
    (
        "A very long description of a fabric swatch: this is a heavyweight grey herringbone "
        "wool twill, woven in Yorkshire, with a soft brushed finish, an opaque drape, 320 gsm, "
        "suitable for winter coats, blazers and trousers; it comes in charcoal, navy, camel, "
        "olive and burgundy, and it is treated against moths, water and stains, so that it "
        "lasts for many years of daily wear without pilling or losing its shape."
    ),
]

# name -> what it covers. All live in samples/photos/ except the synthetic EXIF one.
IMAGES = [
    ("astronaut.png", "RGB PNG with ICC profile"),
    ("chelsea.png", "RGB PNG, landscape"),
    ("coffee.png", "RGB PNG, landscape"),
    ("color.png", "RGB PNG, almost square"),
    ("camera.png", "grayscale (L) PNG"),
    ("coins.png", "grayscale (L) PNG, landscape"),
    ("moon.png", "grayscale (L) PNG"),
    ("page.png", "grayscale (L) PNG, wide"),
    ("text.png", "grayscale (L) PNG, very wide"),
    ("horse.png", "RGBA PNG (transparent background)"),
    ("hubble_deep_field.jpg", "JPEG with EXIF (orientation 1)"),
    ("rocket.jpg", "JPEG, landscape"),
    ("retina.jpg", "JPEG, large square"),
]
EXIF_SAMPLE = "rocket-exif-orientation6.jpg"


def log(msg: str) -> None:
    print(msg, flush=True)


def resolve_repo_path(p: str) -> Path:
    path = Path(p).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def build_config(source_dir: Path, size: str) -> CLIPConfig:
    config = CLIPConfig.from_pretrained(source_dir)
    if size == "tiny":
        for k, v in TINY_TEXT.items():
            setattr(config.text_config, k, v)
        for k, v in TINY_VISION.items():
            setattr(config.vision_config, k, v)
        config.projection_dim = TINY_PROJECTION_DIM
        config.text_config.projection_dim = TINY_PROJECTION_DIM
        config.vision_config.projection_dim = TINY_PROJECTION_DIM
    # A plain attention graph exports cleanly and is what the references are computed with.
    config._attn_implementation = "eager"
    config.text_config._attn_implementation = "eager"
    config.vision_config._attn_implementation = "eager"
    return config


def build_towers(config: CLIPConfig):
    torch.manual_seed(SEED)
    clip = CLIPModel(config).eval()
    sd = clip.state_dict()
    text = CLIPTextModelWithProjection(config.text_config).eval()
    vision = CLIPVisionModelWithProjection(config.vision_config).eval()
    for tower, prefixes in ((text, ("text_model.", "text_projection.")), (vision, ("vision_model.", "visual_projection."))):
        sub = {k: v for k, v in sd.items() if k.startswith(prefixes)}
        missing, unexpected = tower.load_state_dict(sub, strict=False)
        missing = [m for m in missing if not m.endswith("position_ids")]
        if missing or unexpected:
            raise RuntimeError(f"weight split failed: missing={missing} unexpected={unexpected}")
    return clip, text, vision


class TextEmbeds(torch.nn.Module):
    def __init__(self, model: CLIPTextModelWithProjection):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids).text_embeds


class ImageEmbeds(torch.nn.Module):
    def __init__(self, model: CLIPVisionModelWithProjection):
        super().__init__()
        self.model = model

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.model(pixel_values=pixel_values).image_embeds


def export(module: torch.nn.Module, example: torch.Tensor, in_name: str, out_name: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            module,
            (example,),
            str(path),
            input_names=[in_name],
            output_names=[out_name],
            dynamic_axes={in_name: {0: "batch_size"}, out_name: {0: "batch_size"}},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    stray = [p.name for p in path.parent.iterdir() if p.suffix != ".onnx"]
    if stray:
        raise RuntimeError(f"unexpected files (external data?) beside {path}: {stray}")


def check_onnx_against_torch(path: Path, module: torch.nn.Module, make_input, in_name: str) -> None:
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch in (1, 5):
        x = make_input(batch)
        with torch.no_grad():
            want = module(x).numpy()
        got = sess.run(None, {in_name: x.numpy()})[0]
        diff = float(np.abs(got - want).max())
        log(f"  {path.name} batch {batch}: out {list(got.shape)}, max |onnx - torch| = {diff:.2e}")
        if got.shape != want.shape or diff > 1e-5:
            raise RuntimeError(f"{path.name}: ONNX does not match PyTorch at batch {batch} (max diff {diff})")


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def make_exif_sample(src: Path, dst: Path) -> None:
    """A small JPEG whose stored pixels are rotated, with EXIF orientation 6 (rotate 90 CW to
    display): after exif_transpose it shows the same scene upright as the source."""
    upright = Image.open(src).convert("RGB")
    upright = upright.resize((320, round(320 * upright.height / upright.width)), Image.Resampling.BICUBIC)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise; orientation 6 undoes it
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(dst, "JPEG", quality=90, exif=exif.tobytes())


def write_references(text_tower, vision_tower, clip, source_dir: Path, photos: Path, ref_dir: Path, out_dir: Path, argv) -> None:
    ref_dir.mkdir(parents=True, exist_ok=True)
    for old in ref_dir.glob("*.f32"):
        old.unlink()

    tokenizer = CLIPTokenizerFast.from_pretrained(source_dir)
    processor = CLIPImageProcessorPil.from_pretrained(source_dir)
    log(f"tokenizer: {type(tokenizer).__name__} (fast={tokenizer.is_fast}); image processor: {type(processor).__name__}")

    # --- texts
    enc = tokenizer(TEXTS, padding="max_length", max_length=MAX_LENGTH, truncation=True, return_tensors="pt")
    ids, mask = enc["input_ids"], enc["attention_mask"]
    assert ids.shape == (len(TEXTS), MAX_LENGTH)
    with torch.no_grad():
        text_embeds = text_tower(input_ids=ids).text_embeds
        with_mask = text_tower(input_ids=ids, attention_mask=mask).text_embeds
        via_clip = clip.get_text_features(input_ids=ids)
    via_clip = getattr(via_clip, "pooler_output", via_clip)
    mask_diff = float((text_embeds - with_mask).abs().max())
    clip_diff = float((text_embeds - via_clip).abs().max())
    log(f"texts: {len(TEXTS)}; |with attention_mask - without| = {mask_diff:.2e}; |CLIPModel - tower| = {clip_diff:.2e}")
    texts = []
    for i, t in enumerate(TEXTS):
        n_tokens = int(mask[i].sum())
        texts.append(
            {
                "text": t,
                "input_ids": ids[i].tolist(),
                "attention_mask": mask[i].tolist(),
                "num_tokens": n_tokens,
                "truncated": len(tokenizer(t, verbose=False)["input_ids"]) > MAX_LENGTH,
                "text_embeds": text_embeds[i].tolist(),
            }
        )

    # --- images
    make_exif_sample(photos / "rocket.jpg", ref_dir / EXIF_SAMPLE)
    images = []
    pixel_batch = []
    for name, covers in IMAGES + [(EXIF_SAMPLE, "JPEG with EXIF orientation 6 (synthetic, from rocket.jpg)")]:
        src = (ref_dir if name == EXIF_SAMPLE else photos) / name
        raw = Image.open(src)
        mode, size = raw.mode, raw.size
        orientation = raw.getexif().get(0x0112)
        img = ImageOps.exif_transpose(raw)
        pv = processor(images=img, return_tensors="pt")["pixel_values"]
        assert pv.shape == (1, 3, 224, 224) and pv.dtype == torch.float32
        pixel_batch.append(pv[0])
        pixels_file = f"{Path(name).stem}.pixels.f32"
        pv[0].numpy().astype("<f4").tofile(ref_dir / pixels_file)
        images.append(
            {
                "file": name,
                "path": str(src.relative_to(REPO_ROOT)),
                "covers": covers,
                "pil_mode": mode,
                "format": raw.format,
                "width": size[0],
                "height": size[1],
                "exif_orientation": orientation,
                "pixels_file": pixels_file,
                "pixels_shape": [3, 224, 224],
            }
        )
    batch = torch.stack(pixel_batch)
    with torch.no_grad():
        image_embeds = vision_tower(pixel_values=batch).image_embeds
        via_clip = clip.get_image_features(pixel_values=batch)
    via_clip = getattr(via_clip, "pooler_output", via_clip)
    log(f"images: {len(images)}; |CLIPModel - tower| = {float((image_embeds - via_clip).abs().max()):.2e}")
    for i, entry in enumerate(images):
        entry["image_embeds"] = image_embeds[i].tolist()

    # RGBA handling of the installed transformers: alpha must be composited on white.
    horse = Image.open(photos / "horse.png")
    hp = processor(images=horse, return_tensors="np")["pixel_values"][0]
    white = Image.new("RGBA", horse.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, horse.convert("RGBA")).convert("RGB")
    fp = processor(images=flat, return_tensors="np")["pixel_values"][0]
    rgba_diff = float(np.abs(hp - fp).max())
    log(f"RGBA: |processor(horse RGBA) - processor(horse flattened on white)| = {rgba_diff:.2e}")
    if rgba_diff != 0.0:
        raise RuntimeError("installed transformers does not flatten RGBA on white; flatten it here before use")

    tc, vc = text_tower.config, vision_tower.config
    manifest = {
        "description": (
            "Reference outputs of the tiny random-weight CLIP in models/tiny-random-clip, computed by "
            "transformers (PyTorch, float32, eager attention). The TypeScript pipeline must reproduce "
            "input_ids/attention_mask exactly and pixel values/embeddings within tolerance."
        ),
        "generated_by": "tools/tiny-clip/make_clip.py",
        "regenerate": [
            "python3.11 -m venv tools/.venv",
            "tools/.venv/bin/pip install -r tools/tiny-clip/requirements.txt",
            "tools/.venv/bin/python tools/tiny-clip/make_clip.py" + ("" if not argv else " " + " ".join(argv)),
        ],
        "versions": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "tokenizers": tokenizers.__version__,
            "pillow": PIL.__version__,
            "numpy": np.__version__,
            "onnx": onnx.__version__,
            "onnxruntime": ort.__version__,
        },
        "seed": SEED,
        "model": {
            "dir": str(out_dir.relative_to(REPO_ROOT)) if out_dir.is_relative_to(REPO_ROOT) else str(out_dir),
            "projection_dim": clip.config.projection_dim,
            "image_size": vc.image_size,
            "patch_size": vc.patch_size,
            "vocab_size": tc.vocab_size,
            "max_position_embeddings": tc.max_position_embeddings,
            "text": {k: getattr(tc, k) for k in ("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads")},
            "vision": {k: getattr(vc, k) for k in ("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads")},
            "onnx_opset": OPSET,
            "onnx_text": {"input": "input_ids int64 [batch_size, 77]", "output": "text_embeds float32 [batch_size, projection_dim]"},
            "onnx_vision": {
                "input": "pixel_values float32 [batch_size, 3, 224, 224]",
                "output": "image_embeds float32 [batch_size, projection_dim]",
            },
        },
        "embeddings_normalized": False,
        "embeddings_note": (
            "text_embeds / image_embeds are the raw projection outputs of CLIPTextModelWithProjection / "
            "CLIPVisionModelWithProjection (what the ONNX files output): NOT L2-normalized."
        ),
        "tokenizer": {
            "class": type(tokenizer).__name__,
            "fast": tokenizer.is_fast,
            "call": f'tokenizer(text, padding="max_length", max_length={MAX_LENGTH}, truncation=True)',
            "note": (
                "Padding token is <|endoftext|> (49407), same as the end token; truncation keeps <|startoftext|> "
                "first and <|endoftext|> last. text_embeds were computed from input_ids only (no attention_mask); "
                f"passing the attention_mask changes them by at most {mask_diff:.1e} (causal mask, pooled at the "
                "first end token)."
            ),
        },
        "image_processing": {
            "class": type(processor).__name__,
            "note": (
                "Each image is opened with PIL, ImageOps.exif_transpose applied, and passed as is (any mode) "
                "to the PIL-based CLIPImageProcessor, one image at a time. Its convert_to_rgb composites "
                "transparency on white (verified here on horse.png: identical to flattening RGBA on white "
                "first) and converts L to RGB. Then: resize shortest edge to 224 with PIL bicubic on uint8 "
                "(other edge int(224 * long / short)), center crop 224x224, x/255, (x - mean) / std."
            ),
            "image_mean": processor.image_mean,
            "image_std": processor.image_std,
            "pixels_format": "little-endian float32, shape [3, 224, 224], row-major (channel, y, x), RGB",
        },
        "texts": texts,
        "images": images,
    }
    (ref_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {ref_dir / 'manifest.json'}")


def verify_references(out_dir: Path, ref_dir: Path) -> None:
    """Feed the reference inputs, as stored, to the ONNX files and compare with the stored embeddings."""
    manifest = json.loads((ref_dir / "manifest.json").read_text(encoding="utf-8"))
    text_sess = ort.InferenceSession(str(out_dir / "onnx" / "text_model.onnx"), providers=["CPUExecutionProvider"])
    vision_sess = ort.InferenceSession(str(out_dir / "onnx" / "vision_model.onnx"), providers=["CPUExecutionProvider"])

    ids = np.array([t["input_ids"] for t in manifest["texts"]], dtype=np.int64)
    want = np.array([t["text_embeds"] for t in manifest["texts"]], dtype=np.float32)
    got = text_sess.run(["text_embeds"], {"input_ids": ids})[0]
    cos = [cosine(g, w) for g, w in zip(got, want)]
    log(f"verify text  ({len(cos)}): min cosine {min(cos):.8f}, max |diff| {np.abs(got - want).max():.2e}")

    pix = np.stack(
        [np.fromfile(ref_dir / im["pixels_file"], dtype="<f4").reshape(im["pixels_shape"]) for im in manifest["images"]]
    )
    want = np.array([im["image_embeds"] for im in manifest["images"]], dtype=np.float32)
    got = vision_sess.run(["image_embeds"], {"pixel_values": pix})[0]
    icos = [cosine(g, w) for g, w in zip(got, want)]
    log(f"verify image ({len(icos)}): min cosine {min(icos):.8f}, max |diff| {np.abs(got - want).max():.2e}")

    # How far apart the references are (a useful check needs distinct outputs).
    for label, e in (("text", np.array([t["text_embeds"] for t in manifest["texts"]])), ("image", want)):
        n = e / np.linalg.norm(e, axis=1, keepdims=True)
        sim = n @ n.T
        off = sim[~np.eye(len(n), dtype=bool)]
        log(f"  spread {label}: pairwise cosine min {off.min():.4f} mean {off.mean():.4f} max {off.max():.4f}")
    if min(cos) <= 0.99999 or min(icos) <= 0.99999:
        raise RuntimeError("ONNX outputs do not reproduce the reference embeddings")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=["tiny", "full"], default="tiny")
    ap.add_argument("--source-dir", default="../shared/models/clip-vit-base-patch32", help="relative to the repo root")
    ap.add_argument("--out-dir", help="default: models/tiny-random-clip (tiny) or ~/.cache/imgsearch/models/clip-vit-base-patch32-random (full)")
    ap.add_argument("--photos-dir", default="samples/photos", help="relative to the repo root")
    ap.add_argument("--reference-dir", default="libs/clip/test/reference", help="relative to the repo root")
    args = ap.parse_args()

    t0 = time.time()
    source_dir = resolve_repo_path(args.source_dir)
    default_out = "models/tiny-random-clip" if args.size == "tiny" else "~/.cache/imgsearch/models/clip-vit-base-patch32-random"
    out_dir = resolve_repo_path(args.out_dir or default_out)
    log(f"source {source_dir} -> {out_dir} (size {args.size}, seed {SEED})")

    config = build_config(source_dir, args.size)
    clip, text_tower, vision_tower = build_towers(config)
    log(f"params: text {sum(p.numel() for p in text_tower.parameters()):,}, vision {sum(p.numel() for p in vision_tower.parameters()):,}")

    out_dir.mkdir(parents=True, exist_ok=True)
    config.save_pretrained(out_dir)
    for name in COPIED_FILES:
        shutil.copyfile(source_dir / name, out_dir / name)

    text_path, vision_path = out_dir / "onnx" / "text_model.onnx", out_dir / "onnx" / "vision_model.onnx"
    text_mod, vision_mod = TextEmbeds(text_tower).eval(), ImageEmbeds(vision_tower).eval()
    gen = torch.Generator().manual_seed(SEED + 1)
    vocab = config.text_config.vocab_size

    def make_ids(batch: int) -> torch.Tensor:
        ids = torch.randint(0, vocab - 2, (batch, MAX_LENGTH), generator=gen)
        ids[:, 0] = vocab - 2  # <|startoftext|>
        ids[:, 10 + batch:] = vocab - 1  # <|endoftext|> then padding
        return ids

    def make_pixels(batch: int) -> torch.Tensor:
        s = config.vision_config.image_size
        return torch.randn(batch, config.vision_config.num_channels, s, s, generator=gen)

    t1 = time.time()
    export(text_mod, make_ids(2), "input_ids", "text_embeds", text_path)
    export(vision_mod, make_pixels(2), "pixel_values", "image_embeds", vision_path)
    log(f"exported in {time.time() - t1:.1f}s (TorchScript exporter, opset {OPSET})")
    check_onnx_against_torch(text_path, text_mod, make_ids, "input_ids")
    check_onnx_against_torch(vision_path, vision_mod, make_pixels, "pixel_values")

    if args.size == "tiny":
        photos = resolve_repo_path(args.photos_dir)
        ref_dir = resolve_repo_path(args.reference_dir)
        write_references(text_tower, vision_tower, clip, source_dir, photos, ref_dir, out_dir, sys.argv[1:])
        verify_references(out_dir, ref_dir)

    for p in sorted(out_dir.rglob("*")):
        if p.is_file():
            log(f"  {p.stat().st_size:>12,}  {p.relative_to(out_dir)}")
    log(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
