package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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

    /**
     * Starts a shell that writes a line to its output every 100 ms for five
     * minutes, as kubelet would run container "app" of pod web-0 in
     * namespace shop: with its labels, under the cgroup parent
     * /TOP/kubepods/besteffort/podUID. Returns the container's id.
     */
    public static String runInPod(String image, String top, String uid) {
        return runAsPod(List.of("-d"), top, uid, image, "sh", "-c",
                "i=0; while [ $i -lt 3000 ]; do echo tick; sleep 0.1; i=$((i+1)); done").strip();
    }

    /**
     * {@code docker run OPTIONS} of the command as container "app" of pod
     * web-0 in namespace shop, as {@link #runInPod} lays it out; its output.
     */
    public static String runAsPod(List<String> options, String top, String uid, String image, String... command) {
        List<String> line = new ArrayList<>(List.of("docker", "run"));
        line.addAll(options);
        line.addAll(List.of("--cgroup-parent=/" + top + "/kubepods/besteffort/pod" + uid,
                "--label", "io.kubernetes.pod.name=web-0", "--label", "io.kubernetes.pod.namespace=shop",
                "--label", "io.kubernetes.pod.uid=" + uid, "--label", "io.kubernetes.container.name=app", image));
        line.addAll(List.of(command));
        return run(line.toArray(String[]::new));
    }

    /** The host PID of a running container's first process. */
    public static long pidOf(String id) {
        return Long.parseLong(run("docker", "inspect", "--format", "{{.State.Pid}}", id).strip());
    }

    /**
     * Stops the engine scripts/docker-engine started (its containers stop
     * with it) and waits until it no longer answers.
     */
    public static void stopEngine() throws InterruptedException {
        run("pkill", "-TERM", "-x", "dockerd");
        for (int i = 0; i < 300 && answers(); i++) {
            Thread.sleep(100);
        }
        assertThat(answers()).as("the Docker engine stopped within 30 s").isFalse();
    }

    /** Starts the engine again (scripts/docker-engine). */
    public static void startEngine() {
        run("scripts/docker-engine");
        requireEngine();
    }

    private static boolean answers() {
        try {
            return new ProcessBuilder("docker", "info").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Removes the cgroups under /TOP in every hierarchy (cgroup2 and v1),
     * innermost first: Docker leaves a --cgroup-parent's directories behind.
     */
    public static void removeCgroups(String top) {
        try (Stream<Path> hierarchies = Files.walk(Path.of("/sys/fs/cgroup"), 1)) {
            for (Path hierarchy : hierarchies.filter(Files::isDirectory).toList()) {
                Path dir = hierarchy.resolve(top);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> tree = Files.walk(dir)) {
                    for (Path cgroup : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(cgroup);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end in the working directory; its output (stderr too), asserting it exited 0. */
    public static String run(String... command) {
        return Command.run(Path.of("").toAbsolutePath(), List.of(command));
    }
}
