#!/usr/bin/env bash
# Quick start: build (if needed), train PatchCore on the generated sample data, detect defects in
# a few test images, evaluate every sample category and print the metrics.
# Usage: scripts/quickstart.sh [OUTPUT_FOLDER]   (default: runs/quickstart)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/anomalyj.jar
OUT=${1:-runs/quickstart}

if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "building $JAR ..." >&2
  mvn -B -q -DskipTests package
fi
mkdir -p "$OUT"
JAVA="java -Xmx4g -jar $JAR"

for dir in sample-data/*/; do
  name=$(basename "$dir")
  $JAVA train --data "sample-data/$name" --method patchcore --backbone builtin --out "$OUT/$name-patchcore.zip"
  # every defect type of the category's test split
  for defect in "sample-data/$name"/test/*/; do
    type=$(basename "$defect")
    [ "$type" = good ] && continue
    $JAVA detect --model "$OUT/$name-patchcore.zip" --input "$defect" --out "$OUT/detect/$name/$type"
  done
done

$JAVA evaluate --data sample-data --method patchcore --backbone builtin \
  --json "$OUT/metrics-patchcore.json" --report "$OUT/report" > /dev/null
$JAVA evaluate --data sample-data --method padim --backbone builtin \
  --json "$OUT/metrics-padim.json" --report "$OUT/report" > /dev/null

echo
echo "metrics (image AUROC, pixel AUROC, AUPRO per category):"
for f in "$OUT"/metrics-*.json; do
  echo "== $f"
  cat "$f"
done
echo
echo "heatmaps, overlays, masks and results.csv: $OUT/detect/; plots and montages: $OUT/report/"
