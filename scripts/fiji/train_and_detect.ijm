// AnomalyJ in an ImageJ macro: train on the generated sample data, detect the defects in one
// image (heatmap + boxes in its overlay, a row in the Results table), save it as a TIFF that keeps
// the overlay, then detect every image of a folder in batch mode.
//
// Fiji / ImageJ GUI: Plugins > Macros > Run... and choose the AnomalyJ folder when asked.
// Headless: scripts/fiji/headless_batch.sh (passes the AnomalyJ folder as the argument).
// Argument: "ANOMALYJ_FOLDER" or "ANOMALYJ_FOLDER|OUTPUT_FOLDER" (default output: runs/fiji).

arg = getArgument();
parts = split(arg, "|");
root = "";
if (arg != "") root = parts[0];
if (root == "") root = getDirectory("Choose the AnomalyJ folder (the one holding sample-data/)");
if (!endsWith(root, File.separator) && !endsWith(root, "/")) root = root + File.separator;
if (parts.length > 1) out = parts[1]; else out = root + "runs" + File.separator + "fiji";
if (!endsWith(out, File.separator) && !endsWith(out, "/")) out = out + File.separator;
File.makeDirectory(File.getParent(out));
File.makeDirectory(out);
model = out + "grain-patchcore.zip";

setBatchMode(true);
// 1. Train (Plugins > Anomaly Detection > Train Anomaly Model...)
run("Train Anomaly Model...", "data=[" + root + "sample-data/grain] method=patchcore backbone=builtin size=256 coreset=0.010 seed=42 threads=0 output=[" + model + "]");

// 2. Detect on the open image (Plugins > Anomaly Detection > Detect Anomalies)
open(root + "sample-data/grain/test/scratch/001.png");
id = getImageID();
run("Detect Anomalies", "model=[" + model + "] threshold=auto opacity=40 min_area=1 anomaly_map mask");
selectImage(id);
print("overlay elements (heatmap + boxes): " + Overlay.size);
for (row = 0; row < nResults; row++)
  print(getResultString("image", row) + ": score " + d2s(getResult("score", row), 4) + ", normalized " + d2s(getResult("normalized_score", row), 3) + ", " + getResultString("verdict", row) + ", " + getResult("regions", row) + " region(s): " + getResultString("boxes", row));
saveAs("Tiff", out + "scratch_001_detected.tif");   // the TIFF keeps heatmap and boxes
run("Close All");

// 3. Batch: every image of a folder; outputs (TIFF with overlay, map, mask, results.csv) into a folder
run("Detect Anomalies", "model=[" + model + "] folder=[" + root + "sample-data/grain/test/pit] output=[" + out + "pit]");
print("done; results in " + out);
