#@ File (label = "Model bundle (.zip)", style = "file") model
#@ File (label = "Folder of images", style = "directory") input
#@ File (label = "Output folder", style = "directory") output
#@ Double (label = "Heatmap opacity (%)", value = 40, min = 0, max = 100, style = "slider") opacity
#@ Integer (label = "Smallest region (pixels)", value = 1, min = 1) minArea

// AnomalyJ from a Groovy script (Fiji: File > New > Script..., or headless:
//   ImageJ-linux64 --headless --console --run detect_folder.groovy \
//     'model="/path/model.zip",input="/path/images",output="/path/out"'
// Detects every image of a folder with the same code as Plugins > Anomaly Detection > Detect
// Anomalies in batch mode: <name>_detected.tif (image + heatmap/boxes overlay), <name>_anomaly.tif,
// <name>_overlay.png, <name>_mask.png and results.csv in the output folder, one Results row per image.
// Errors (a missing model, a folder without images) stop the script with one clear sentence.

import ij.measure.ResultsTable
import org.anomalyj.fiji.DetectAction
import org.anomalyj.fiji.DetectOptions
import org.anomalyj.fiji.IJProgress

def options = new DetectOptions()
options.model = model.toPath()
options.opacity = opacity / 100.0
options.minArea = minArea
def table = ResultsTable.getResultsTable()
def progress = new IJProgress("Detect Anomalies")
int defective = new DetectAction(options).runFolder(input.toPath(), output.toPath(), table, progress)
progress.done("Detect Anomalies: done")
table.show("Results")
println "${table.size()} image(s), ${defective} defective; results in ${output}"
