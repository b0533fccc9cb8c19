#!/usr/bin/env bash
# Puts the data files that packages ship and the tests read into .test-data/ (git-ignored),
# checked against their SHA-256:
#   - bpe_simple_vocab_16e6.txt.gz, CLIP's original BPE vocabulary (49,408 tokens), from the PyPI
#     wheel of open-clip-torch (`pip download --no-deps` + unzip of that one file).
# Idempotent: does nothing when every file is present. `make test` runs it after bootstrap.
# Usage: Scripts/fetch_test_data.sh [DESTINATION]   (default: .test-data in the repository)
set -euo pipefail

repository="$(cd "$(dirname "$0")/.." && pwd)"
destination="${1:-$repository/.test-data}"

# name|sha256|PyPI requirement|path inside the wheel
files=(
    "bpe_simple_vocab_16e6.txt.gz|924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a|open-clip-torch==3.3.0|open_clip/bpe_simple_vocab_16e6.txt.gz"
)

fail() {
    echo "fetch_test_data: $*" >&2
    exit 1
}

work=""
trap 'if [ -n "$work" ]; then rm -rf "$work"; fi' EXIT
mkdir -p "$destination"
for entry in "${files[@]}"; do
    IFS='|' read -r name checksum requirement inside <<<"$entry"
    target="$destination/$name"
    if [ -f "$target" ] && echo "$checksum  $target" | sha256sum --check --status; then
        continue
    fi
    [ -n "$work" ] || work="$(mktemp -d)"
    echo "fetch_test_data: downloading the PyPI package $requirement for $name"
    rm -rf "$work/pip"
    python3 -m pip download -q --no-deps --disable-pip-version-check -d "$work/pip" \
        "$requirement" >/dev/null || fail "pip download $requirement failed (check the network)"
    python3 - "$work"/pip/*.whl "$inside" "$work/$name" <<'PYTHON' \
        || fail "$requirement does not ship $inside"
import sys
import zipfile

wheel, inside, output = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive, open(output, "wb") as file:
    file.write(archive.read(inside))
PYTHON
    echo "$checksum  $work/$name" | sha256sum --check --status \
        || fail "$requirement's $inside is not the expected file (SHA-256 differs); the tests' expected values are for that file"
    mv "$work/$name" "$target"
done
