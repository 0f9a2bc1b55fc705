#!/usr/bin/env bash
# Fit time of one unified model against one model per category, each `train` in a fresh JVM, in
# alternating order over rounds (round 1: unified first; round 2: separate first; ...), so that
# neither setup always runs on a cold or a warm machine. `evaluate --unified` also reports fit
# times, but it trains both setups in one JVM, unified first, and that order alone moved the
# result by ±10% between runs; this script is the fair comparison.
# Prints a Markdown table (wall and process-CPU seconds of each fit, from the bundles' training
# record) and writes OUTPUT_FOLDER/fit-times.tsv.
# Usage: scripts/multiclass-fit-times.sh [SHARED_FOLDER] [OUTPUT_FOLDER] [ROUNDS] [-- EXTRA train OPTIONS]
#   defaults: ../shared runs/multiclass-fit 2; METHOD=patchcore by default.
# Environment: ONLY="kolektorsdd grain" keeps only those categories; FIRST=separate starts round 1 with
# the separate models (default: unified).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-runs/multiclass-fit}
ROUNDS=${3:-2}
shift $(( $# > 3 ? 3 : $# ))
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
EXTRA=("$@")
METHOD=${METHOD:-patchcore}
JAR=target/anomalyj.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package
mkdir -p "$OUT"
source scripts/multiclass-root.sh
CATEGORIES=$(ls "$ROOT")
RESNET="$SHARED/backbones/resnet50v2_imagenet_stage1to3.onnx"
TSV="$OUT/fit-times.tsv"
printf 'round\tsetup\tcategory\tseconds\tcpu_seconds\tbundle_bytes\n' > "$TSV"

train() { # round setup category data [--unified]
  local round=$1 setup=$2 category=$3 data=$4
  shift 4
  local bundle="$OUT/$setup-$category.zip"
  echo "== round $round: $setup $category" >&2
  java -Xmx8g -jar "$JAR" train --data "$data" --method "$METHOD" --backbone "$RESNET" --size 256 \
    --out "$bundle" "$@" "${EXTRA[@]}" > /dev/null 2>&1
  unzip -p "$bundle" model.json | /usr/bin/python3 -c '
import json, os, sys
t = json.load(sys.stdin)["training"]
print("\t".join([sys.argv[1], sys.argv[2], sys.argv[3], "%.1f" % t["seconds"], "%.1f" % t["cpu_seconds"],
                 str(os.path.getsize(sys.argv[4]))]))' "$round" "$setup" "$category" "$bundle" >> "$TSV"
}
unified() { train "$1" unified all "$ROOT" --unified; }
separate() { for c in $CATEGORIES; do train "$1" separate "$c" "$ROOT/$c"; done; }

for round in $(seq 1 "$ROUNDS"); do
  offset=0
  [ "${FIRST:-unified}" = separate ] && offset=1
  if [ $(((round + offset) % 2)) -eq 1 ]; then unified "$round"; separate "$round"; else separate "$round"; unified "$round"; fi
done

/usr/bin/python3 - "$TSV" <<'PY'
import collections, csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = collections.defaultdict(lambda: [0.0, 0.0, 0, []])
for r in rows:
    k = (r["round"], r["setup"])
    by[k][0] += float(r["seconds"]); by[k][1] += float(r["cpu_seconds"]); by[k][2] += int(r["bundle_bytes"])
    if r["setup"] == "separate":
        by[k][3].append("%s %.1f" % (r["category"], float(r["seconds"])))
print("| round | setup | fit wall s | fit CPU s | bundles MB | per category (wall s) |")
print("|---|---|---|---|---|---|")
for (rnd, setup), (s, cpu, b, parts) in sorted(by.items()):
    print("| %s | %s | %.1f | %.1f | %.1f | %s |" % (rnd, setup, s, cpu, b / 1e6, ", ".join(parts) or "-"))
PY
