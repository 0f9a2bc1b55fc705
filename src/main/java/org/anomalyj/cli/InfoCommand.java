package org.anomalyj.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.anomalyj.api.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Print what a model bundle holds.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model bundle (.zip or unpacked folder).")
    Path model;

    @Option(names = "--json", description = "Print the bundle's model.json instead of a summary.")
    boolean json;

    @Override
    public Integer call() {
        ModelBundle b = ModelBundle.load(model);
        JsonObject m = b.manifest();
        if (json) {
            System.out.println(ModelBundle.toPrettyJson(m));
            return 0;
        }
        JsonObject t = b.training();
        System.out.printf("model:        %s%n", model);
        System.out.printf("method:       %s %s%n", b.method(), b.model().parameters());
        System.out.printf("backbone:     %s, layers %s%s%n", b.backbone().name(), b.layers(),
                b.backbone().sha256() == null ? " (built-in)" : ", sha256 " + b.backbone().sha256());
        System.out.printf("input:        %s, blur sigma %.1f%n", b.geometryText(), b.blurSigma());
        System.out.printf("tiling:       %s%s%n", b.tiling(), b.models().size() > 1 ? " (" + b.models().size() + " tile models)" : "");
        System.out.printf("calibration:  image threshold %.6g, pixel threshold %.6g (%s, %d images)%n",
                b.calibration().imageThreshold(), b.calibration().pixelThreshold(), b.calibration().rule(),
                b.calibration().images());
        System.out.printf("training:     %s%n", t);
        return 0;
    }
}
