package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The write_sizes workload (src/test/c, built into target/test-bin by
 * Maven): write(2)s of known sizes to /dev/null under a comm no other
 * process has, run to its end.
 */
public final class SizedWriter {

    public static final Path BINARY = Path.of("target/test-bin/write_sizes");

    private SizedWriter() {
    }

    /** Writes {@code countBySize} (bytes to how many writes of that size), in order; returns the comm they had. */
    public static String run(Map<Long, Long> countBySize) {
        assertThat(BINARY).as("the write_sizes workload (built from src/test/c by ./mvnw)").isExecutable();
        String comm = "bpfsz" + Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 36, 1L << 40));
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), comm));
        countBySize.forEach((size, count) -> command.add(size + ":" + count));
        try {
            Process writer = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream go = writer.getOutputStream()) {
                go.write('\n');
            }
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).as("write_sizes finished").isTrue();
            String output = new String(writer.getInputStream().readAllBytes());
            assertThat(writer.exitValue()).as("write_sizes exit status; output: %s", output).isZero();
            return comm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
