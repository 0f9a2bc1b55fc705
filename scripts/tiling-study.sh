#!/usr/bin/env bash
# Reproduces docs/tiling.md: single model at 256 and 512, stacked tiles and the tiled ensemble
# (SM256, SM512, ST9, ENS4, ENS9) for PatchCore and PaDiM with the ResNet50v2 backbone on
# KolektorSDD and Magnetic Tile. Every setup trains on the same seeded 100 good images (so the
# stacked-tiles model's 9x larger patch set fits in memory on a 2-core machine) and is tested on
# the test split: all 121 KolektorSDD test images, and a seeded subset of 150 of Magnetic Tile's 582
# (same share of defects) because the 9-tile setups score every image 9 times on 2 cores.
# PaDiM keeps 100 channels so that a 512-pixel model stays a few hundred MB.
# DATASETS="kolektorsdd", METHODS="padim" or SETUPS="SM256,ENS9" restrict the runs.
# KolektorSDD's tall images (500 x 1250) also get aspect-preserving setups (KSDD_ASPECT, default
# st:256x640:256:128,ens:256x640:256:128,ens:384x896:256:128; empty = none), written to
# kolektorsdd-METHOD-aspect.json/.md.
# Usage: scripts/tiling-study.sh [SHARED_FOLDER] [OUTPUT_FOLDER]   (defaults: ../shared, runs/tiling)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/tiling}
JAR=${JAR:-target/anomalyj.jar}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
RESNET="$SHARED/backbones/resnet50v2_imagenet_stage1to3.onnx"
for data in ${DATASETS:-kolektorsdd magnetic_tile}; do
  for method in ${METHODS:-patchcore padim}; do
    echo "== $data $method" >&2
    tests=$([ "$data" = magnetic_tile ] && echo 150 || echo 0)
    java -Xmx10g -jar "$JAR" evaluate --data "$SHARED/datasets/$data" --method "$method" --backbone "$RESNET" \
      --setups "${SETUPS:-SM256,SM512,ST9,ENS4,ENS9}" --max-train 100 --max-test "$tests" --padim-features 100 \
      --json "$OUT/$data-$method.json" --markdown "$OUT/$data-$method.md" > /dev/null
    aspect=${KSDD_ASPECT-st:256x640:256:128,ens:256x640:256:128,ens:384x896:256:128}
    if [ "$data" = kolektorsdd ] && [ -n "$aspect" ]; then
      java -Xmx10g -jar "$JAR" evaluate --data "$SHARED/datasets/$data" --method "$method" --backbone "$RESNET" \
        --setups "$aspect" --max-train 100 --padim-features 100 \
        --json "$OUT/$data-$method-aspect.json" --markdown "$OUT/$data-$method-aspect.md" > /dev/null
    fi
  done
done
cat "$OUT"/*.md >&2
