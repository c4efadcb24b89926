package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs real commands, promtool (Debian package prometheus) above all, and fails with their output. */
public final class Promtool {

    public static final Path BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /** {@code promtool ARGS} in {@code dir}; its output, after asserting it exited 0. */
    public static String run(Path dir, String... args) {
        assertInstalled();
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        return Command.run(dir, command);
    }

    /** {@code promtool check metrics} on an exposition (it reads only its standard input): its findings, if any. */
    public static String checkMetrics(Path exposition) {
        assertInstalled();
        return Command.run(exposition.getParent(),
                List.of("/bin/sh", "-c", BINARY + " check metrics < \"$0\"", exposition.toString()));
    }

    private static void assertInstalled() {
        assertThat(BINARY).as("promtool (Debian package prometheus; scripts/install-deps installs it)").isExecutable();
    }
}
