package org.anomalyj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.anomalyj.data.SampleDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample-data", mixinStandardHelpOptions = true,
        description = "Generate the synthetic MVTec-layout sample data set (textures with defects and masks).")
final class SampleDataCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        SampleDataGenerator.generate(out, seed);
        System.out.println("wrote sample data to " + out);
        return 0;
    }
}
