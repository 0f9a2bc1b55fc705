#!/usr/bin/env bash
# Builds a plain ImageJ 1.x folder with the AnomalyJ plugin installed, for headless batch runs
# without Fiji:  DIR/ij.jar, DIR/plugins/AnomalyJ_.jar (with plugins.config), DIR/plugins/jars/
# (ONNX Runtime, Gson, protobuf-java + tribuo-util-onnx for quantization: ImageJ 1.x puts jars in plugins/ subfolders on its class path).
# Usage: scripts/fiji/make_imagej.sh [DIR]   (default: target/imagej)
# ENGINE=1 also installs the training engine (DJL + libtorch, ~120 MB) so that STFPM trains from the dialog.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${1:-target/imagej}
if [ ! -f target/classes/plugins.config ] || [ -n "$(find src pom.xml -newer target/classes/plugins.config -print -quit)" ]; then
  mvn -B -q -DskipTests compile
fi
mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/deps
mkdir -p "$DIR/plugins/jars"
rm -f "$DIR"/plugins/AnomalyJ_.jar "$DIR"/plugins/jars/*.jar
jar cf "$DIR/plugins/AnomalyJ_.jar" -C target/classes .
cp target/deps/ij-*.jar "$DIR/ij.jar"
# protobuf-java and tribuo-util-onnx: the ONNX protobuf classes Quantize Anomaly Model... needs
cp target/deps/onnxruntime-*.jar target/deps/gson-*.jar target/deps/protobuf-java-*.jar target/deps/tribuo-util-onnx-*.jar "$DIR/plugins/jars/"
if [ "${ENGINE:-0}" = 1 ]; then
  # the same jars mvn package puts in target/lib (DJL api and PyTorch engine, pytorch-jni, the libtorch jar, JNA, commons-*, slf4j-api)
  for jar in api pytorch-engine pytorch-jni pytorch-native-cpu jna commons-compress commons-io commons-codec slf4j-api; do
    cp target/deps/"$jar"-[0-9]*.jar "$DIR/plugins/jars/"
  done
fi
echo "$DIR: ij.jar, plugins/AnomalyJ_.jar, plugins/jars/$(ls "$DIR/plugins/jars" | tr '\n' ' ')"
