#!/usr/bin/env bash
# Reproduces docs/quantization.md: PatchCore and PaDiM on Magnetic Tile and KolektorSDD with ResNet50v2
# and MobileNetV2, FP32 vs FP16 vs INT8 (minmax, percentile, entropy calibration, 32 images) made by
# `quantize`'s default (the head refitted on the INT8 features only when they moved more than 20% from
# the float ones), plus rows forced either way: --refit (int8-CAL-refit) and --no-refit (int8-CAL-ptq).
# Usage: scripts/quantization-study.sh [SHARED_FOLDER] [OUTPUT_FOLDER]   (defaults: ../shared, runs/quant)
# Optional environment:
#   RUNS="method:data:backbone ..."  what to run, in this order (default: all eight)
#   CALS="minmax percentile entropy" INT8 calibrations made with quantize's default (automatic refit)
#   REFIT=""                         INT8 calibrations also made with --refit (head always refitted)
#   PTQ="minmax"                     INT8 calibrations also made with --no-refit (float head kept)
#   MAX_TEST=0                       test images per row (0 = all; the docs state where 150 was used)
#   CPU_IMAGES=20                    test images of the CPU-time measurement (0 = skip it)
#   XMX=8g                           heap of every JVM (PaDiM on Magnetic Tile with ResNet50v2: 10g)
# Each step is skipped when its output exists, so an interrupted study resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/quant}
[ -f target/anomalyj.jar ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
# a private copy, so that a rebuild during the (long) study does not pull the jar from under a running JVM
JAR=${JAR:-$OUT/anomalyj.jar}
[ -f "$JAR" ] || cp target/anomalyj.jar "$JAR"
J="java -Xmx${XMX:-8g}"
R=resnet50v2_imagenet_stage1to3
M=mobilenetv2_imagenet_features_s8_s16
DEFAULT_RUNS="patchcore:magnetic_tile:$M padim:kolektorsdd:$M padim:kolektorsdd:$R padim:magnetic_tile:$M
  padim:magnetic_tile:$R patchcore:magnetic_tile:$R patchcore:kolektorsdd:$M patchcore:kolektorsdd:$R"
for run in ${RUNS:-$DEFAULT_RUNS}; do
  method=${run%%:*}
  rest=${run#*:}
  data=${rest%%:*}
  backbone=${rest#*:}
  base="$OUT/$data-$method-$backbone"
  echo "== $(date -u +%T) $method $data $backbone" >&2
  [ -f "$base-fp32.zip" ] || $J -jar "$JAR" train --data "$SHARED/datasets/$data" --method "$method" \
      --backbone "$SHARED/backbones/$backbone.onnx" --out "$base-fp32.zip" > "$base-fp32.log" 2>&1
  [ -f "$base-fp16.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision fp16 --out "$base-fp16.zip" \
      > "$base-fp16.log" 2>&1
  variants="fp32 fp16"
  for cal in ${CALS-minmax percentile entropy}; do
    # the default of quantize for INT8: the head (memory bank / Gaussians) and thresholds refitted when the
    # quantized features moved far (feature_error > 0.2), otherwise the float head kept
    [ -f "$base-int8-$cal.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision int8 \
        --calibration "$cal" --calibration-images 32 --out "$base-int8-$cal.zip" > "$base-int8-$cal.log" 2>&1
    variants="$variants int8-$cal"
  done
  for cal in ${REFIT-}; do
    [ -f "$base-int8-$cal-refit.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision int8 \
        --calibration "$cal" --calibration-images 32 --refit --out "$base-int8-$cal-refit.zip" > "$base-int8-$cal-refit.log" 2>&1
    variants="$variants int8-$cal-refit"
  done
  for cal in ${PTQ-minmax}; do
    [ -f "$base-int8-$cal-ptq.zip" ] || $J -jar "$JAR" quantize --model "$base-fp32.zip" --precision int8 \
        --calibration "$cal" --calibration-images 32 --no-refit --out "$base-int8-$cal-ptq.zip" > "$base-int8-$cal-ptq.log" 2>&1
    variants="$variants int8-$cal-ptq"
  done
  # CPU time per image of all variants in one process, alternating in rounds (robust on a shared machine)
  # (variants measured before are not measured again; FP32 always runs along, as the reference of the ratios)
  missing=""
  for v in $variants; do
    grep -qs "\"model\":\"$base-$v.zip\"" "$OUT/cpu.jsonl" || missing="$missing $v"
  done
  if [ "${CPU_IMAGES:-20}" != 0 ] && [ -n "$missing" ]; then
    models="$base-fp32.zip"
    for v in $missing; do [ "$v" = fp32 ] || models="$models $base-$v.zip"; done
    $J -Djava.util.concurrent.ForkJoinPool.common.parallelism=1 -cp "$JAR" org.anomalyj.quant.QuantizationStudy \
        --cpu "$SHARED/datasets/$data" "${CPU_IMAGES:-20}" $models | tee -a "$OUT/cpu.jsonl"
  fi
  for v in $variants; do
    # rows already measured are kept (the study can be resumed)
    grep -qs "\"model\":\"$base-$v.zip\"" "$OUT/results.jsonl" && continue
    echo "== $(date -u +%T) evaluate $data $method $backbone $v" >&2
    $J -cp "$JAR" org.anomalyj.quant.QuantizationStudy "$base-$v.zip" "$SHARED/datasets/$data" 0 "${MAX_TEST:-0}" \
        | tee -a "$OUT/results.jsonl"
  done
done
echo "results in $OUT/results.jsonl and $OUT/cpu.jsonl; tables: scripts/quantization-table.py $OUT" >&2
