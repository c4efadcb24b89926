package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

/** The docker command line, for tests that make containers on the real engine (scripts/test starts one). */
public final class DockerCli {

    private DockerCli() {
    }

    /** Fails loudly when no engine answers. */
    public static void requireEngine() {
        assertThat(run("docker", "version", "--format", "{{.Server.Version}}")).as(
                "a Docker engine answers (scripts/test starts one with scripts/docker-engine)").isNotBlank();
    }

    /** The minimal Debian image scripts/base-images makes (once per machine). */
    public static String baseImage() {
        return run("scripts/base-images").lines().filter(line -> line.startsWith("BASE_IMAGE="))
                .map(line -> line.substring("BASE_IMAGE=".length())).findFirst()
                .orElseThrow(() -> new AssertionError("scripts/base-images named no BASE_IMAGE"));
    }

    /** Runs a command to its end in the working directory; its output (stderr too), asserting it exited 0. */
    public static String run(String... command) {
        return Command.run(Path.of("").toAbsolutePath(), List.of(command));
    }
}
