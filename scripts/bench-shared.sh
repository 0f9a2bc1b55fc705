#!/usr/bin/env bash
# Reproduces the tables of docs/performance.md: `bench` for PatchCore and PaDiM with the ResNet50v2
# and MobileNetV2 backbones on Magnetic Tile and KolektorSDD (fit on all training images, then
# stage times on test images, backbone alone in the same run, throughput per batch size), plus
# PatchCore's --knn fast next to exact search on the same saved model.
# Run it alone on the machine: ratios are measured within one run, absolute times follow the load.
# Usage: scripts/bench-shared.sh [SHARED_FOLDER] [OUTPUT_FOLDER] [IMAGES]   (defaults: ../shared, runs/bench, 100)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/bench}
IMAGES=${3:-100}
JAR=target/anomalyj.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
for data in magnetic_tile kolektorsdd; do
  for backbone in resnet50v2_imagenet_stage1to3 mobilenetv2_imagenet_features_s8_s16; do
    for method in patchcore padim; do
      name="$data-$method-${backbone%%_*}"
      echo "== $name (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
      java -Xmx8g -jar "$JAR" bench --data "$SHARED/datasets/$data" --method "$method" \
        --backbone "$SHARED/backbones/$backbone.onnx" --images "$IMAGES" --knn exact \
        --save-model "$OUT/$name.zip" --json "$OUT/$name.json"
      if [ "$method" = patchcore ]; then
        echo "== $name --knn fast" >&2
        java -Xmx8g -jar "$JAR" bench --data "$SHARED/datasets/$data" --model "$OUT/$name.zip" \
          --images "$IMAGES" --knn fast --json "$OUT/$name-fast.json"
        for knn in exact fast; do
          java -Xmx8g -jar "$JAR" evaluate --data "$SHARED/datasets/$data" --model "$OUT/$name.zip" \
            --knn "$knn" --json "$OUT/$name-eval-$knn.json" 2>&1 > /dev/null | grep "image AUROC" | sed "s/^/$knn: /"
        done
      fi
    done
  done
done
echo "results in $OUT/*.json" >&2
