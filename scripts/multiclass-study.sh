#!/usr/bin/env bash
# Reproduces docs/multiclass.md: one unified model for every category versus one model per
# category, on the shared data sets (Magnetic Tile, KolektorSDD) plus the generated sample-data/
# categories, with the ResNet50v2 backbone at 256 px.
# Builds target/multiclass-root, a root of symbolic links to the categories, then runs
# `evaluate --unified` once per method (one heavy JVM at a time).
# Usage: scripts/multiclass-study.sh [SHARED_FOLDER] [OUTPUT_FOLDER] [METHOD...] [-- EXTRA evaluate OPTIONS]
#   defaults: ../shared runs/multiclass patchcore padim
# Environment: ONLY="kolektorsdd grain" keeps only those categories; TAG=x names the JSON multiclass-METHOD-x.json.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/multiclass}
shift $(( $# > 2 ? 2 : $# ))
METHODS=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do METHODS+=("$1"); shift; done
[ $# -gt 0 ] && shift
EXTRA=("$@")
[ ${#METHODS[@]} -gt 0 ] || METHODS=(patchcore padim)
JAR=target/anomalyj.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
source scripts/multiclass-root.sh
RESNET="$SHARED/backbones/resnet50v2_imagenet_stage1to3.onnx"
for method in "${METHODS[@]}"; do
  echo "== unified vs separate, $method, resnet50v2, size 256 ${EXTRA[*]:-}" >&2
  java -Xmx8g -jar "$JAR" evaluate --data "$ROOT" --unified --method "$method" --backbone "$RESNET" --size 256 \
    --json "$OUT/multiclass-$method${TAG:+-$TAG}.json" "${EXTRA[@]}" > /dev/null
done
echo "results in $OUT/multiclass-*.json" >&2
