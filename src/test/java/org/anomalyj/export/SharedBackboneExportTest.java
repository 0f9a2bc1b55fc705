package org.anomalyj.export;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.data.Datasets;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The real backbones of ../shared (skipped when absent): PatchCore and PaDiM on MobileNetV2 and
 * PatchCore on ResNet50v2, each fitted on 10 KolektorSDD training images at 256 pixels, exported,
 * and the compiled graph compared with the Java path on good and defective test images (the
 * agreement of {@link CompiledModelExporterTest}: max map error / max |map| and relative score
 * error within 1e-4).
 */
public class SharedBackboneExportTest {
    private static final Path DATA = Paths.get("../shared/datasets/kolektorsdd");
    private static final Path BACKBONES = Paths.get("../shared/backbones");

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static void check(String backbone, String method) throws Exception {
        Path onnx = BACKBONES.resolve(backbone + ".onnx");
        Assume.assumeTrue(Files.isDirectory(DATA) && Files.isRegularFile(onnx));
        TrainOptions o = new TrainOptions();
        o.method = method;
        o.backbone = onnx.toString();
        o.size = 256;
        o.maxTrainImages = 10;
        ModelBundle b = new Trainer(o).train(Datasets.openOne(DATA).trainGood(), DATA.toString(),
                CompiledModelExporterTest.QUIET);
        Path bundle = tmp.getRoot().toPath().resolve(backbone + "_" + method + ".zip");
        b.save(bundle);
        Path out = tmp.getRoot().toPath().resolve(backbone + "_" + method + ".onnx");
        CompiledModelExporter.export(bundle, out, 0, CompiledModelExporterTest.QUIET);
        List<Path> images = new ArrayList<>();
        for (String folder : new String[] {"good", "defect"}) {
            List<Path> all = Datasets.listImages(DATA.resolve("test").resolve(folder));
            images.add(all.get(0));
            images.add(all.get(all.size() / 2));
        }
        double[] err = CompiledModelExporterTest.agreement(b, 256, out, images);
        System.err.printf("%s %s: max map error %.3g, max score error %.3g (relative); %d bytes%n", backbone, method,
                err[0], err[1], Files.size(out));
        assertTrue(backbone + " " + method + " map error " + err[0], err[0] <= CompiledModelExporterTest.TOLERANCE);
        assertTrue(backbone + " " + method + " score error " + err[1], err[1] <= CompiledModelExporterTest.TOLERANCE);
    }

    @Test
    public void mobileNetV2PatchCore() throws Exception {
        check("mobilenetv2_imagenet_features_s8_s16", "patchcore");
    }

    @Test
    public void mobileNetV2Padim() throws Exception {
        check("mobilenetv2_imagenet_features_s8_s16", "padim");
    }

    @Test
    public void resNet50v2PatchCore() throws Exception {
        check("resnet50v2_imagenet_stage1to3", "patchcore");
    }
}
