#!/usr/bin/env bash
# Assembles the files of the AnomalyJ Fiji update site in Fiji's layout:
#   OUT/files/plugins/AnomalyJ_.jar        the plugin (menu entries from plugins.config, SciJava commands)
#   OUT/files/jars/onnxruntime-<v>.jar     ONNX Runtime (Fiji ships Gson and scijava-common already)
#   OUT/files/models/<name>.onnx + .json   backbones, when a folder of them is given
# With FIJI=/path/to/Fiji.app it also installs those files into that Fiji and lets Fiji's own
# updater upload them to a local update-site folder OUT/site (the updater writes db.xml.gz, the
# index Fiji reads, with its own checksums); serve OUT/site over HTTP(S) to publish it.
# Usage: update-site/assemble.sh [OUT] [BACKBONES_DIR]      (default OUT: target/update-site)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/update-site}")
BACKBONES=${2:-}
SITE_NAME=${SITE_NAME:-AnomalyJ}
SITE_URL=${SITE_URL:-https://example.org/anomalyj/}

mvn -B -q -DskipTests compile
mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/deps
rm -rf "$OUT/files"
mkdir -p "$OUT/files/plugins" "$OUT/files/jars"
jar cf "$OUT/files/plugins/AnomalyJ_.jar" -C target/classes .
cp target/deps/onnxruntime-*.jar "$OUT/files/jars/"
if [ -n "$BACKBONES" ]; then
  mkdir -p "$OUT/files/models"
  for onnx in "$BACKBONES"/*.onnx; do
    [ -e "$onnx" ] || continue
    json="${onnx%.onnx}.json"
    [ -f "$json" ] || { echo "skipping $onnx: no $(basename "$json") next to it" >&2; continue; }
    cp "$onnx" "$json" "$OUT/files/models/"
  done
fi
(cd "$OUT/files" && find . -type f | sort | sed 's|^\./|  |')

if [ -z "${FIJI:-}" ]; then
  echo "files assembled in $OUT/files; set FIJI=/path/to/Fiji.app to build the update site index (see update-site/README.md)"
  exit 0
fi
LAUNCHER=$(ls "$FIJI"/ImageJ-linux64 "$FIJI"/fiji-linux-x64 2>/dev/null | head -1)
[ -n "$LAUNCHER" ] || { echo "no Fiji launcher in $FIJI" >&2; exit 2; }
cp -r "$OUT/files/." "$FIJI/"
mkdir -p "$OUT/site"
"$LAUNCHER" --update add-update-site "$SITE_NAME" "$SITE_URL" file:localhost "$OUT/site/" || \
  "$LAUNCHER" --update edit-update-site "$SITE_NAME" "$SITE_URL" file:localhost "$OUT/site/"
(cd "$OUT/files" && find . -type f | sed 's|^\./||') | (cd "$FIJI" && xargs "$LAUNCHER" --update upload --update-site "$SITE_NAME" --force-shadow)
echo "update site in $OUT/site (db.xml.gz + files); publish it at $SITE_URL"
