#!/usr/bin/env bash
# Reproduces the table of docs/results.md: PatchCore and PaDiM with the ResNet50v2 backbone
# and with the built-in filter bank, on the full Magnetic Tile and KolektorSDD data sets.
# Usage: scripts/evaluate-shared.sh [SHARED_FOLDER] [OUTPUT_FOLDER]   (defaults: ../shared, runs/shared)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/shared}
JAR=target/anomalyj.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
RESNET="$SHARED/backbones/resnet50v2_imagenet_stage1to3.onnx"
for data in magnetic_tile kolektorsdd; do
  for backbone in resnet50v2 builtin; do
    spec=$([ "$backbone" = builtin ] && echo builtin || echo "$RESNET")
    for method in patchcore padim; do
      echo "== $data $method $backbone (default settings)" >&2
      java -Xmx16g -jar "$JAR" evaluate --data "$SHARED/datasets/$data" --method "$method" --backbone "$spec" \
        --json "$OUT/$data-$method-$backbone.json" --report "$OUT/report" 2>&1 > /dev/null | grep "image AUROC"
    done
  done
done
echo "results in $OUT/*.json" >&2
