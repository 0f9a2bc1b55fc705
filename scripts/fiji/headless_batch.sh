#!/usr/bin/env bash
# Headless batch run of scripts/fiji/train_and_detect.ijm (train on sample-data, detect, save).
#
# With Fiji (ImageJ-legacy makes dialogs headless; nothing opens a window):
#   ImageJ-linux64 --headless --console -Danomalyj.exitOnError=true -macro scripts/fiji/train_and_detect.ijm "$PWD"
# With plain ImageJ 1.x (this script): ImageJ 1.x builds its menus with AWT even in -batch mode, so
# it needs a display; xvfb-run provides a virtual one when there is none.
# -Danomalyj.exitOnError=true: a user error (missing model, folder without images...) logs one
# sentence and exits with code 1 instead of ImageJ's usual 0.
# Usage: scripts/fiji/headless_batch.sh [OUTPUT_FOLDER]   (default: runs/fiji)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-$PWD/runs/fiji}
scripts/fiji/make_imagej.sh target/imagej
RUN=()
if [ -z "${DISPLAY:-}" ]; then
  command -v xvfb-run >/dev/null || { echo "no DISPLAY and no xvfb-run: apt-get install xvfb" >&2; exit 2; }
  RUN=(xvfb-run -a)
fi
"${RUN[@]}" java -Xmx4g -Danomalyj.exitOnError=true -Dplugins.dir="$PWD/target/imagej" \
  -jar target/imagej/ij.jar -batch "$PWD/scripts/fiji/train_and_detect.ijm" "$PWD|$OUT"
