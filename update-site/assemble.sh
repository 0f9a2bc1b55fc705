#!/usr/bin/env bash
# Assembles the files of the AnomalyJ Fiji update site in Fiji's layout:
#   OUT/files/plugins/AnomalyJ_.jar        the plugin (menu entries from plugins.config, SciJava commands)
#   OUT/files/jars/onnxruntime-<v>.jar     ONNX Runtime (Fiji ships Gson and scijava-common already)
#   OUT/files/jars/tribuo-util-onnx, protobuf-java   ONNX protobuf classes (Quantize Anomaly Model...)
#   OUT/files/models/<name>.onnx + .json   backbones, when a folder of them is given
# Then it publishes them into the update-site folder OUT/site: each file as <path>-<timestamp> plus
# db.xml.gz, the index Fiji's updater reads, with the updater's own checksums (written by
# org.anomalyj.fiji.updatesite.UpdateSiteIndex; no Fiji needed). Publishing again into the same
# OUT/site keeps older versions listed, so installed copies update instead of showing as modified.
# Serve OUT/site with any static web server (see update-site/README.md).
# Usage: update-site/assemble.sh [OUT] [BACKBONES_DIR]      (default OUT: target/update-site)
#        TIMESTAMP=yyyyMMddHHmmss sets the release timestamp (default: now)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/update-site}")
BACKBONES=${2:-}

mvn -B -q -DskipTests compile
mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/deps
rm -rf "$OUT/files"
mkdir -p "$OUT/files/plugins" "$OUT/files/jars"
jar cf "$OUT/files/plugins/AnomalyJ_.jar" -C target/classes .
cp target/deps/onnxruntime-*.jar "$OUT/files/jars/"
# ONNX protobuf classes for Quantize Anomaly Model... (loading and running quantized bundles needs neither)
cp target/deps/tribuo-util-onnx-*.jar target/deps/protobuf-java-*.jar "$OUT/files/jars/"
if [ -n "$BACKBONES" ]; then
  mkdir -p "$OUT/files/models"
  for onnx in "$BACKBONES"/*.onnx; do
    [ -e "$onnx" ] || continue
    json="${onnx%.onnx}.json"
    [ -f "$json" ] || { echo "skipping $onnx: no $(basename "$json") next to it" >&2; continue; }
    cp "$onnx" "$json" "$OUT/files/models/"
  done
fi

java -cp target/classes org.anomalyj.fiji.updatesite.UpdateSiteIndex "$OUT/files" "$OUT/site" ${TIMESTAMP:-}
echo "update site in $OUT/site: serve that folder over HTTP(S) and add its URL in Fiji (update-site/README.md)"
