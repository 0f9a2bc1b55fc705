package org.anomalyj.cli;

import java.io.PrintWriter;
import org.anomalyj.AnomalyJException;
import org.anomalyj.api.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar anomalyj.jar <command>}: the command-line front end of the engine. */
@Command(name = "anomalyj", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Unsupervised visual anomaly detection: learn from good images, find defects in new ones.",
        subcommands = {TrainCommand.class, DetectCommand.class, EvaluateCommand.class, BenchCommand.class, InfoCommand.class,
                QuantizeCommand.class, ExportCommand.class,
                SampleDataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code: 0 done, 1 user error (one sentence on stderr), 2 usage, 3 bug. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof AnomalyJException) {
                err.println("error: " + ex.getMessage());
                err.flush();
                return 1;
            }
            err.println("internal error (please report it with the command you ran): " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 3;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // The work's arrays are unreachable once the stack has unwound, so there is room to report.
            System.err.printf("error: Java ran out of memory (at most %d MB of heap); start it with more, e.g."
                    + " java -Xmx8g -jar anomalyj.jar ..., or use a smaller --size, fewer training images"
                    + " (--max-train) or a tiled model (--tiling).%n", Runtime.getRuntime().maxMemory() >> 20);
            return 1;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"AnomalyJ " + Version.get()};
        }
    }
}
