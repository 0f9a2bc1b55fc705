#!/usr/bin/env bash
# Sourced by the multiclass scripts: builds ROOT (default target/multiclass-root), a root of
# symbolic links to every MVTec-layout category of "$SHARED"/datasets and sample-data/ (those in
# $ONLY when it is set), and prints the categories.
ROOT=${ROOT:-target/multiclass-root}
rm -rf "$ROOT"
mkdir -p "$ROOT"
for category in "$SHARED"/datasets/* sample-data/*; do
  name=$(basename "$category")
  if [ -n "${ONLY:-}" ] && ! [[ " $ONLY " == *" $name "* ]]; then continue; fi
  if [ -d "$category/train/good" ]; then
    ln -s "$(cd "$category" && pwd)" "$ROOT/$name"
  fi
done
echo "categories: $(ls "$ROOT" | tr '\n' ' ')" >&2
