package io.bpfscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon on a kernel without BTF of its own, as it sees one:
 * started in a mount namespace where /sys/kernel/btf/vmlinux reads empty.
 * Without bpfscope.btf-path it stops with one line; with the kernel's BTF
 * as a file it runs every program that needs no kernel BTF. Run here and in
 * each kernel of scripts/test-kernels.
 */
class NoKernelBtfIT {

    /** Runs the daemon's command with the kernel's BTF hidden from it alone. */
    private static final List<String> WITHOUT_KERNEL_BTF = List.of("unshare", "--mount", "--propagation", "private",
            "/bin/sh", "-c", "mount --bind /dev/null /sys/kernel/btf/vmlinux && exec \"$@\"", "sh");

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void withoutABtfFileItStopsWithOneLineAndLoadsNothing() throws Exception {
        Set<String> before = Set.copyOf(Kernel.loadedProgramNames());
        try (Daemon daemon = Daemon.start(WITHOUT_KERNEL_BTF)) {
            assertThat(daemon.awaitExit(EveryKernelIT.START)).isEqualTo(1);
            assertOneErrorLine(daemon.output(), "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing or"
                    + " unreadable; it needs CONFIG_DEBUG_INFO_BTF=y): set bpfscope.btf-path to a BTF file for this"
                    + " exact kernel (BTFHub has them for distribution kernels)");
        }
        assertThat(Kernel.loadedProgramNames()).filteredOn(name -> name.startsWith("bpfscope_"))
                .hasSameElementsAs(before.stream().filter(name -> name.startsWith("bpfscope_")).toList());
    }

    @Test
    void aFileThatIsNotBtfIsOneLine(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("vmlinux.btf"), "not BTF");
        try (Daemon daemon = Daemon.start(WITHOUT_KERNEL_BTF, "-Dbpfscope.btf-path=" + garbage)) {
            assertThat(daemon.awaitExit(EveryKernelIT.START)).isEqualTo(1);
            assertOneErrorLine(daemon.output(), "bpfscope.btf-path " + garbage + " is not a BTF file (BPF object format invalid): give"
                    + " the BTF of this kernel, raw or in an ELF .BTF section");
        }
    }

    @Test
    void withTheKernelsBtfAsAFileItCountsStreamsAndUnloads(@TempDir Path dir) throws Exception {
        Path btf = Files.copy(Path.of("/sys/kernel/btf/vmlinux"), dir.resolve("vmlinux.btf"));
        try (Daemon daemon = Daemon.start(WITHOUT_KERNEL_BTF, "-Dbpfscope.btf-path=" + btf)) {
            daemon.awaitListening(EveryKernelIT.START);
            Set<Long> programs = Kernel.programIdsHeldBy(daemon.process().pid());
            Map<String, Double> samples = Scrape.of(daemon.uri("/metrics"));
            assertThat(samples).containsEntry("bpfscope_kernel_feature_info{feature=\"btf\",path=\"file\"}", 1.0)
                    .containsEntry("bpfscope_kernel_feature_info{feature=\"threads\",path=\"tid_hash\"}", 1.0)
                    .containsEntry("bpfscope_kernel_feature_info{feature=\"exec_result\",path=\"exit_tracepoint\"}", 1.0);
            assertThat(daemon.output()).contains("[bpfscope_write, bpfscope_rename_raw, bpfscope_cgroup_move_raw, bpfscope_fork_raw, bpfscope_exit_raw]");

            try (Writer writer = Writer.prepare(2_003, 11)) {
                writer.run();
                assertThat(Scrape.of(daemon.uri("/metrics")))
                        .containsEntry("bpfscope_write_syscalls_total" + Scrape.onHost(writer.comm()), 2_003.0);
            }
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            Kernel.assertUnloaded(programs);
        }
    }

    private static void assertOneErrorLine(String output, String message) {
        List<String> errors = output.lines().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).as("ERROR lines in:%n%s", output).hasSize(1);
        assertThat(errors.getFirst()).endsWith(message);
        assertThat(output).as("no stack trace").doesNotContain("\tat ");
    }
}
