package io.bpfscope.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write_sizes workload (src/test/c): write(2)s of known sizes to
 * /dev/null under a comm no other process has, run to its end.
 */
public final class SizedWriter {

    private SizedWriter() {
    }

    /** Writes {@code countBySize} (bytes to how many writes of that size), in order; returns the comm they had. */
    public static String run(Map<Long, Long> countBySize) {
        String comm = Workloads.uniqueComm("bpfsz");
        List<String> arguments = new ArrayList<>(List.of(comm));
        countBySize.forEach((size, count) -> arguments.add(size + ":" + count));
        Workloads.run("write_sizes", arguments, Duration.ofMinutes(1));
        return comm;
    }
}
