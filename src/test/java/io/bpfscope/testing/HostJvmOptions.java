package io.bpfscope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** scripts/jvm.options, the daemon's JVM options on a host, which the image and the chart must repeat. */
public final class HostJvmOptions {

    private HostJvmOptions() {
    }

    /** The options on one line, as JAVA_TOOL_OPTIONS carries them: comments dropped. */
    public static String line() {
        try {
            return Files.readAllLines(Path.of("scripts/jvm.options")).stream()
                    .map(line -> line.replaceFirst("#.*", "").strip()).filter(line -> !line.isEmpty())
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
