#!/usr/bin/env bash
# Reproduces docs/quantization.md: PatchCore on Magnetic Tile and KolektorSDD with ResNet50v2 and
# MobileNetV2, FP32 vs FP16 vs INT8 (minmax, percentile, entropy calibration, 32 images).
# Usage: scripts/quantization-study.sh [SHARED_FOLDER] [OUTPUT_FOLDER]   (defaults: ../shared, runs/quant)
# Optional environment: PAIRS="data:backbone ...", VARIANTS="fp32 int8-percentile ...", LATENCY_THREADS="1 2"
# (empty: no latency run), REFIT="minmax percentile" (also INT8 bundles with the head refitted). Takes about 1.5 hours on an idle 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/quant}
[ -f target/anomalyj.jar ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
# a private copy, so that a rebuild during the (long) study does not pull the jar from under a running JVM
JAR=${JAR:-$OUT/anomalyj.jar}
[ -f "$JAR" ] || cp target/anomalyj.jar "$JAR"
J="java -Xmx8g"
RESNET=resnet50v2_imagenet_stage1to3
MOBILENET=mobilenetv2_imagenet_features_s8_s16
for pair in ${PAIRS:-magnetic_tile:$RESNET kolektorsdd:$RESNET kolektorsdd:$MOBILENET magnetic_tile:$MOBILENET}; do
  data=${pair%%:*}
  backbone=${pair#*:}
  {
    base="$OUT/$data-$backbone"
    [ -f "$base-fp32.zip" ] || $J -jar "$JAR" train --data "$SHARED/datasets/$data" --method patchcore \
        --backbone "$SHARED/backbones/$backbone.onnx" --out "$base-fp32.zip" 2>/dev/null
    [ -f "$base-fp16.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision fp16 --out "$base-fp16.zip" 2>/dev/null
    for cal in minmax percentile entropy; do
      [ -f "$base-int8-$cal.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision int8 \
          --calibration "$cal" --calibration-images 32 --out "$base-int8-$cal.zip" 2>/dev/null
    done
    # backbone latency of all five in one process, alternating in rounds (robust ratios on a shared
    # machine), with 1 thread (kernel speed) and with 2 (all cores, as detect runs)
    for threads in ${LATENCY_THREADS-1 2}; do
      $J -cp "$JAR" org.anomalyj.quant.QuantizationStudy --latency "$SHARED/datasets/$data" 20 $threads "$base-fp32.zip" \
          "$base-fp16.zip" "$base-int8-minmax.zip" "$base-int8-percentile.zip" "$base-int8-entropy.zip" | tee -a "$OUT/latency.jsonl"
    done
    # optional: INT8 with the head refitted on the quantized features (REFIT="minmax percentile")
    for cal in ${REFIT:-}; do
      [ -f "$base-int8-$cal-refit.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision int8 \
          --calibration "$cal" --calibration-images 32 --refit --out "$base-int8-$cal-refit.zip" 2>/dev/null
    done
    refits=""
    for cal in ${REFIT:-}; do refits="$refits int8-$cal-refit"; done
    for v in ${VARIANTS:-fp32 int8-percentile int8-entropy int8-minmax fp16} $refits; do
      # rows already measured are kept (the study can be resumed)
      [ -f "$OUT/results.jsonl" ] && grep -q "\"model\":\"$base-$v.zip\"" "$OUT/results.jsonl" && continue
      echo "== $data $backbone $v" >&2
      $J -cp "$JAR" org.anomalyj.quant.QuantizationStudy "$base-$v.zip" "$SHARED/datasets/$data" | tee -a "$OUT/results.jsonl"
    done
  }
done
echo "results in $OUT/results.jsonl" >&2
