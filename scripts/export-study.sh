#!/usr/bin/env bash
# The compiled-graph study of docs/quantization.md ("Compiled single-graph export"): trains small
# KolektorSDD bundles (--max-train 20, plus one full ResNet50v2 PatchCore), makes INT8 copies, and
# for each bundle runs org.anomalyj.export.ExportStudy (export, agreement with the Java path, ms/image
# of both in alternating rounds) with all cores and with one ONNX Runtime thread.
# Usage: scripts/export-study.sh [SHARED_DIR] [OUT_DIR]     (defaults: ../shared runs/export)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/export}
DATA="$SHARED/datasets/kolektorsdd"
mkdir -p "$OUT"
[ -f target/anomalyj.jar ] || mvn -B -q -DskipTests package
J="java -Xmx8g -jar target/anomalyj.jar"
R=resnet50v2_imagenet_stage1to3
M=mobilenetv2_imagenet_features_s8_s16
[ -f "$OUT/$R-pc.zip" ] || $J train --data "$DATA" --backbone "$SHARED/backbones/$R.onnx" --max-train 20 --out "$OUT/$R-pc.zip"
[ -f "$OUT/$M-pc.zip" ] || $J train --data "$DATA" --backbone "$SHARED/backbones/$M.onnx" --max-train 20 --out "$OUT/$M-pc.zip"
[ -f "$OUT/$M-padim.zip" ] || $J train --data "$DATA" --method padim --backbone "$SHARED/backbones/$M.onnx" --max-train 20 --out "$OUT/$M-padim.zip"
[ -f "$OUT/$R-pc-full.zip" ] || $J train --data "$DATA" --backbone "$SHARED/backbones/$R.onnx" --out "$OUT/$R-pc-full.zip"
for b in $R $M; do
  [ -f "$OUT/$b-pc-int8.zip" ] || $J quantize --model "$OUT/$b-pc.zip" --data "$DATA" --out "$OUT/$b-pc-int8.zip"
done
for threads in 0 1; do
  for m in $R-pc $R-pc-int8 $M-pc $M-pc-int8 $M-padim $R-pc-full; do
    java -Xmx8g -cp target/anomalyj.jar org.anomalyj.export.ExportStudy "$OUT/$m.zip" "$DATA" 20 5 $threads >> "$OUT/results.jsonl"
  done
done
echo "results in $OUT/results.jsonl"
