package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory limit the Helm chart gives the daemon's pod
 * (helm/bpfscope/values.yaml, resources.limits.memory), in docker's
 * notation: the limit a limits run puts on the container unless told
 * otherwise, read rather than copied so the two cannot drift apart.
 */
public final class LimitsChart {

    private static final Path VALUES = Path.of("helm/bpfscope/values.yaml");
    private static final Pattern MEBIBYTES = Pattern.compile("^\\s+memory: (\\d+)Mi$");

    private LimitsChart() {
    }

    /** "256m" for the chart's 256Mi. */
    public static String memoryLimit() {
        try {
            List<String> lines = Files.readAllLines(VALUES);
            for (int i = lines.indexOf("  limits:") + 1; i > 0 && i < lines.size() && lines.get(i).startsWith("    "); i++) {
                Matcher memory = MEBIBYTES.matcher(lines.get(i));
                if (memory.matches()) {
                    return memory.group(1) + "m";
                }
            }
            throw new HarnessFailure("no resources.limits.memory in Mi in " + VALUES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
