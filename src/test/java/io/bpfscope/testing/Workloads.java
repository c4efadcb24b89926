package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The tests' C workloads (src/test/c, built into target/test-bin by Maven), run to their end. */
final class Workloads {

    private Workloads() {
    }

    /** A comm no other process has, starting with {@code prefix} (five characters). */
    static String uniqueComm(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 36, 1L << 40));
    }

    /** Runs target/test-bin/{@code name} with {@code arguments}, a line on its stdin, and asserts it exited 0. */
    static void run(String name, List<String> arguments, Duration patience) {
        Path binary = Path.of("target/test-bin", name);
        assertThat(binary).as("the %s workload (built from src/test/c by ./mvnw)", name).isExecutable();
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(arguments);
        try {
            Process workload = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream go = workload.getOutputStream()) {
                go.write('\n');
            }
            assertThat(workload.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)).as("%s finished", name).isTrue();
            String output = new String(workload.getInputStream().readAllBytes());
            assertThat(workload.exitValue()).as("%s exit status; output: %s", name, output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
