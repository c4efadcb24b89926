package io.bpfscope.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a soak runs: {@code writers} paced write_loops sharing {@code rate}
 * writes/s for {@code seconds}, the first {@code warmUpSeconds} not judged
 * for flatness; {@code clients} SSE clients on {@code path}; a marked exec
 * every {@code execGapMs}; the daemon run with {@code moreJvmOptions} after
 * its file of JVM options.
 */
record SoakSettings(Path jar, Path jvmOptionsFile, long seconds, long warmUpSeconds, long rate, int writers, int clients,
        String path, double execGapMs, List<String> moreJvmOptions) {

    private static final String EXPORT_FILE = "-Dbpfscope.export.file=";

    SoakSettings {
        moreJvmOptions = List.copyOf(moreJvmOptions);
        if (seconds < warmUpSeconds + 10 || writers > rate || !(execGapMs > 0)) {
            throw new IllegalArgumentException("soak wants -d >= -w + 10, -N <= -R and -g > 0");
        }
        if (!path.startsWith("/events")) {
            throw new IllegalArgumentException("-u wants an /events path, not '" + path + "'");
        }
    }

    /** From the options; -J is one argument, split at white space. */
    static SoakSettings of(Options options) {
        double gap;
        try {
            gap = Double.parseDouble(options.text("g"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-g wants milliseconds, not '" + options.text("g") + "'");
        }
        String more = options.text("J").strip();
        return new SoakSettings(Path.of(options.text("j")), Path.of(options.text("O")).toAbsolutePath(),
                options.positive("d"), options.count("w"), options.positive("R"), (int) options.positive("N"),
                (int) options.positive("C"), options.text("u"), gap,
                more.isEmpty() ? List.of() : Arrays.asList(more.split("\\s+")));
    }

    long writesPerSecondPerWriter() {
        return rate / writers;
    }

    long writesPerWriter() {
        return writesPerSecondPerWriter() * seconds;
    }

    /** The writes the kernel traces: each writer's loop and the line of figures it writes after it. */
    long traced() {
        return writers * (writesPerWriter() + 1);
    }

    /** The export's file when -J turns the export on. */
    Optional<Path> exportFile() {
        return moreJvmOptions.stream().filter(o -> o.startsWith(EXPORT_FILE))
                .map(o -> Path.of(o.substring(EXPORT_FILE.length()))).findFirst();
    }
}
