#!/usr/bin/env python3
"""Writes the small feature files that Tests/DatasetsTests read back (a few KB in total).

Every array holds the same pattern, value(clip, dim) = 0.25 * (clip * dims + dim) - 1, which is
exact in float16, float32 and float64, so the Swift tests can check each element exactly.

Run from the repository root:  python3 Scripts/make_feature_fixtures.py
Needs numpy and h5py (only here; nothing at run or test time needs Python).
"""
import os
import zipfile

import h5py
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "DatasetsTests",
                    "Fixtures")


def pattern(clips, dims, dtype=np.float32):
    return (np.arange(clips * dims).reshape(clips, dims) * 0.25 - 1.0).astype(dtype)


def write_npy(name, array, version=None):
    path = os.path.join(ROOT, "npy", name + ".npy")
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)
    return path


def main():
    for sub in ("npy", "npz"):
        os.makedirs(os.path.join(ROOT, sub), exist_ok=True)

    # .npy: one file per video, named after the variant it tests.
    write_npy("float32", pattern(5, 4), version=(1, 0))
    write_npy("float16", pattern(5, 4, np.float16))
    write_npy("float64", pattern(5, 4, np.float64))
    write_npy("fortran", np.asfortranarray(pattern(5, 4)))
    write_npy("version2", pattern(5, 4), version=(2, 0))
    write_npy("version3", pattern(5, 4), version=(3, 0))
    write_npy("bigendian", pattern(5, 4, np.dtype(">f4")))
    write_npy("long", pattern(10, 4))
    nonfinite = pattern(5, 4)
    nonfinite[3, 2] = np.nan
    write_npy("nonfinite", nonfinite)
    write_npy("threedimensional", pattern(5, 4).reshape(1, 5, 4))
    write_npy("integer", np.arange(20, dtype=np.int32).reshape(5, 4))
    full = write_npy("truncated", pattern(5, 4))
    with open(full, "rb") as f:
        data = f.read()
    with open(full, "wb") as f:
        f.write(data[:-7])  # cut inside the last row
    with open(os.path.join(ROOT, "npy", "notnumpy.npy"), "wb") as f:
        f.write(b"this is not a numpy file\n")

    # .npz: np.savez (stored) and np.savez_compressed (deflated), key "features" by default.
    np.savez(os.path.join(ROOT, "npz", "stored.npz"), features=pattern(5, 4))
    np.savez_compressed(os.path.join(ROOT, "npz", "deflated.npz"), features=pattern(5, 4))
    np.savez(os.path.join(ROOT, "npz", "otherkey.npz"), clip_features=pattern(5, 4),
             features_mean=pattern(1, 4))
    with zipfile.ZipFile(os.path.join(ROOT, "npz", "notnumpy.npz"), "w") as z:
        z.writestr("features.npy", b"not a numpy array")

    # HDF5: one dataset per video id at the root (TACoS / Charades VGG layout), a group per video
    # holding "c3d_features" (ActivityNet C3D layout), and a gzip-compressed dataset.
    with h5py.File(os.path.join(ROOT, "features.h5"), "w", track_order=True) as f:
        f.create_dataset("s13-d21.avi", data=pattern(5, 4))
        f.create_dataset("float64", data=pattern(5, 4, np.float64))
        f.create_dataset("compressed", data=pattern(5, 4), compression="gzip")
        f.create_group("v_group").create_dataset("c3d_features", data=pattern(5, 4))
        f.create_dataset("narrow", data=pattern(5, 3))
        bad = pattern(5, 4)
        bad[0, 0] = np.inf
        f.create_dataset("nonfinite", data=bad)
        f.create_dataset("vector", data=np.zeros(4, dtype=np.float32))
        f.create_dataset("text", data=np.bytes_("not features"))


if __name__ == "__main__":
    main()
