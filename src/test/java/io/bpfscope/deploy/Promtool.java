package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs real commands, promtool (Debian package prometheus) above all, and fails with their output. */
final class Promtool {

    static final Path BINARY = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /** {@code promtool ARGS} in {@code dir}; its output, after asserting it exited 0. */
    static String run(Path dir, String... args) {
        assertThat(BINARY).as("promtool (Debian package prometheus; scripts/install-deps installs it)").isExecutable();
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        return Command.run(dir, command);
    }
}
