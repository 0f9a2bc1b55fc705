#!/usr/bin/env bash
# Smallest Java heap with which a 9-tile ensemble (512-pixel input, 256-pixel tiles, stride 128)
# detects 1024, 4096 and 8192 pixel square 8-bit images, with all outputs and with --csv-only;
# and a stacked-tiles model at native size on the 8192 image. Built-in backbone (its weights live
# outside the Java heap anyway), trained on sample-data/grain. Prints a Markdown table.
# Usage: scripts/tiling-memory.sh [WORK_FOLDER]   (default: runs/tiling-memory)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-runs/tiling-memory}
JAR=${JAR:-target/anomalyj.jar}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$WORK"
java -jar "$JAR" train --data sample-data/grain --tiling ens --size 512 --tile 256 --stride 128 --out "$WORK/ens9.zip" >/dev/null 2>&1
java -jar "$JAR" train --data sample-data/grain --tiling st --size native --tile 256 --stride 256 --out "$WORK/st-native.zip" >/dev/null 2>&1
for n in 1024 4096 8192; do
  java scripts/tools/LargeImage.java sample-data/grain/test/scratch/000.png "$n" "$WORK/square$n.png"
done
smallest() { # model image extra-options...: the smallest -Xmx in MB (from a ladder) that succeeds
  local model=$1 image=$2; shift 2
  for mb in 24 32 40 48 64 96 128 192 256 384 512 768 1024 1536 2048; do
    rm -rf "$WORK/out"
    if java -Xmx${mb}m -jar "$JAR" detect --model "$model" --input "$image" --out "$WORK/out" "$@" >/dev/null 2>&1; then
      echo "$mb"; return
    fi
  done
  echo "more than 2048"
}
echo "| model | image | all outputs: smallest -Xmx (MB) | --csv-only: smallest -Xmx (MB) |"
echo "|---|---|---|---|"
for n in 1024 4096 8192; do
  echo "| ENS9 (512 px, 9 tiles) | ${n} x ${n} | $(smallest "$WORK/ens9.zip" "$WORK/square$n.png") | $(smallest "$WORK/ens9.zip" "$WORK/square$n.png" --csv-only) |"
done
echo "| ST native (256-px tiles) | 8192 x 8192 | $(smallest "$WORK/st-native.zip" "$WORK/square8192.png") | $(smallest "$WORK/st-native.zip" "$WORK/square8192.png" --csv-only) |"
