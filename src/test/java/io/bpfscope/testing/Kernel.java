package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.probe.ExecProbe;
import io.bpfscope.probe.LoadedProbes;
import io.bpfscope.probe.ProbeConfig;
import io.bpfscope.probe.WriteProbe;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the real-kernel tests share: the root check, bpftool, bundled objects and the default configuration. */
public final class Kernel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Kernel() {
    }

    /** CPUs online now (/sys/devices/system/cpu/online): one perf buffer each. */
    public static int onlineCpus() {
        try {
            int count = 0;
            for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().split(",")) {
                String[] bounds = range.split("-");
                count += bounds.length == 1 ? 1 : Integer.parseInt(bounds[1]) - Integer.parseInt(bounds[0]) + 1;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** These tests load BPF programs: without root they must fail, loudly, not skip. */
    public static void requireRoot() {
        assertThat(new com.sun.security.auth.module.UnixSystem().getUid())
                .as("the real-kernel tests load BPF programs and must run as root (scripts/test)")
                .isZero();
    }

    /** Names of the BPF programs loaded in the kernel, from {@code bpftool -j prog show}. */
    public static List<String> loadedProgramNames() {
        List<String> names = new ArrayList<>();
        bpftool("prog", "show").forEach(program -> names.add(program.path("name").asText()));
        return names;
    }

    /**
     * Whether the running kernel's version is at least major.minor: for the
     * tests' own expectations where a feature left no other trace (the daemon
     * never reads the version; distribution kernels backport).
     */
    public static boolean atLeast(int major, int minor) {
        String[] parts = System.getProperty("os.version").split("[.-]");
        int found = Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]);
        return found >= major * 1000 + minor;
    }

    /** Whether the running kernel has a function or object of this name (/proc/kallsyms). */
    public static boolean hasSymbol(String name) {
        try (Stream<String> symbols = Files.lines(Path.of("/proc/kallsyms"))) {
            return symbols.anyMatch(line -> line.endsWith(" " + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether bpftool loads this BPF object (pinned under bpffs, then unpinned): the verifier's own answer. */
    public static boolean bpftoolLoads(Path object) {
        Path pin = Path.of("/sys/fs/bpf", "bpfscope-test-" + ProcessHandle.current().pid());
        try {
            Process process = new ProcessBuilder("bpftool", "prog", "load", object.toString(), pin.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Files.deleteIfExists(pin);
            return process.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code bpftool -j ARGS} parsed. */
    public static JsonNode bpftool(String... args) {
        List<String> command = new ArrayList<>(List.of("bpftool", "-j"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("exit status of %s", command).isZero();
            return JSON.readTree(out.length == 0 ? "[]".getBytes() : out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ids of the BPF programs process {@code pid} holds descriptors of, from
     * /proc/PID/fdinfo (this bpftool does not report owners); empty once the
     * process is gone.
     */
    public static Set<Long> programIdsHeldBy(long pid) {
        return idsHeldBy(pid, "prog_id:");
    }

    /** The same for BPF maps. */
    public static Set<Long> mapIdsHeldBy(long pid) {
        return idsHeldBy(pid, "map_id:");
    }

    private static Set<Long> idsHeldBy(long pid, String field) {
        Set<Long> held = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            for (Path fd : fds.toList()) {
                try {
                    for (String line : Files.readAllLines(fd)) {
                        if (line.startsWith(field)) {
                            held.add(Long.parseLong(line.substring(field.length()).strip()));
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        } catch (IOException exited) {
            return held;
        }
        return held;
    }

    /**
     * Fails unless none of {@code ids} is loaded within 10 s. The kernel frees
     * programs after an RCU grace period (tracing programs after an RCU tasks
     * one), so one just unloaded may still be listed for a moment.
     */
    public static void assertUnloaded(Set<Long> ids) {
        assertGone("prog", "programs", ids);
    }

    /** The same for maps, which go with the last program or descriptor that holds them. */
    public static void assertMapsGone(Set<Long> ids) {
        assertGone("map", "maps", ids);
    }

    private static void assertGone(String kind, String what, Set<Long> ids) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<Long> remaining;
        do {
            remaining = new HashSet<>();
            for (JsonNode object : bpftool(kind, "show")) {
                if (ids.contains(object.path("id").asLong())) {
                    remaining.add(object.path("id").asLong());
                }
            }
        } while (!remaining.isEmpty() && System.nanoTime() < deadline && pause());
        assertThat(remaining).as("%s still loaded 10 s after unloading", what).isEmpty();
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A BPF object built from src/test/bpf. */
    public static byte[] testObject(String name) {
        try (InputStream in = Kernel.class.getResourceAsStream("/bpf/" + name + ".bpf.o")) {
            assertThat(in).as("test object %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The write probe, loaded (not attached) with these settings on the paths the daemon would take. */
    public static WriteProbe writeProbe(Map<String, String> properties) {
        ProbeConfig config = config(properties);
        return WriteProbe.load(config, LoadedProbes.check(config));
    }

    /** The exec probe, likewise. */
    public static ExecProbe execProbe(Map<String, String> properties) {
        ProbeConfig config = config(properties);
        return ExecProbe.load(config, LoadedProbes.check(config));
    }

    /**
     * The daemon's configuration with its defaults, overridden by {@code
     * properties}, then by system properties: the suite runs a second time
     * with -Dbpfscope.buffer=perf.
     */
    public static ProbeConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProbeConfig.class)
                .addSystemSources()
                .withDefaultValues(properties)
                .withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .build();
        return config.getConfigMapping(ProbeConfig.class);
    }
}
