#!/usr/bin/env python3
"""Writes the safetensors fixtures of Tests/TensorsTests (SafetensorsTests.swift) with the reference
`safetensors` package (needs `pip install safetensors torch numpy`; build-time only):

- Fixtures/reference.safetensors: F32, F16 and BF16 tensors (normals, subnormals, signed zero,
  infinity, NaN, the largest F16), an I64 tensor, a scalar (shape []), an empty tensor (shape
  [0, 3]) and two metadata strings. The Swift test lists the same values.
- Fixtures/reference_f32.safetensors: F32 only with one metadata key, which SafetensorsWriter must
  reproduce byte for byte (with several keys the reference orders metadata by hash).
"""
import math
import os

import numpy
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file as save_torch

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "Tests", "TensorsTests", "Fixtures")

mixed = {
    "float32_matrix": torch.tensor([[0.5, -1.25, 3.0], [1e-3, 1e30, -7.0]], dtype=torch.float32),
    "float16_values": torch.tensor(
        [[1.0, -2.5, 65504.0, 2.0**-24], [2.0**-14, -0.0, math.inf, math.nan]], dtype=torch.float16),
    "bfloat16_values": torch.tensor([1.0, -3.140625, 2.0**100], dtype=torch.bfloat16),
    "position_ids": torch.arange(4, dtype=torch.int64).reshape(1, 4),
    "scalar": torch.tensor(42.0, dtype=torch.float32),
    "empty": torch.zeros((0, 3), dtype=torch.float32),
}
save_torch(mixed, os.path.join(FIXTURES, "reference.safetensors"),
           metadata={"format": "pt", "note": "PromptVTG fixture \u00e9"})

float32_only = {
    "a.weight": numpy.array([[1.0, 2.0], [3.0, 4.0]], dtype=numpy.float32),
    "b": numpy.array(-0.5, dtype=numpy.float32),
    "c": numpy.zeros((0,), dtype=numpy.float32),
    "z.bias": numpy.array([0.25, -8.0, 1e-7], dtype=numpy.float32),
}
save_numpy(float32_only, os.path.join(FIXTURES, "reference_f32.safetensors"), metadata={"format": "np"})
for name in sorted(os.listdir(FIXTURES)):
    print(name, os.path.getsize(os.path.join(FIXTURES, name)), "bytes")
