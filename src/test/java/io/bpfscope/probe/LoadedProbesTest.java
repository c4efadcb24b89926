package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.testing.ExpectedPaths;
import io.bpfscope.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and shutdown of both probes in this process, seen from the kernel's program and link lists. */
class LoadedProbesTest {


    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void startAttachesEveryTracepointAndCloseLeavesNothing() {
        long self = ProcessHandle.current().pid();
        Set<Long> before = Kernel.programIdsHeldBy(self);
        Set<Long> ours = new HashSet<>();

        try (LoadedProbes probes = LoadedProbes.start(Kernel.config(Map.of()))) {
            assertThat(probes.write().programNames()).containsExactlyInAnyOrderElementsOf(ExpectedPaths.here().writePrograms());
            assertThat(probes.exec().programNames()).containsExactlyInAnyOrderElementsOf(ExpectedPaths.here().execPrograms());
            assertThat(probes.paths().byFeature()).containsAllEntriesOf(ExpectedPaths.here().byFeature())
                    .containsEntry("btf", "kernel");

            ours.addAll(Kernel.programIdsHeldBy(self));
            ours.removeAll(before);
            assertThat(ours).hasSize(ExpectedPaths.here().programs().size());
            Set<Long> linked = new HashSet<>();
            for (JsonNode link : Kernel.bpftool("link", "show")) {
                linked.add(link.path("prog_id").asLong());
            }
            assertThat(linked).containsAll(ours);
            for (JsonNode program : Kernel.bpftool("prog", "show")) {
                if (ours.contains(program.path("id").asLong())) {
                    assertThat(program.path("name").asText()).isIn(ExpectedPaths.here().programs());
                    // tracepoint programs; the thread hooks show as "tracing" (tp_btf) or "raw_tracepoint"
                    assertThat(program.path("type").asText()).isIn("tracepoint", "tracing", "raw_tracepoint");
                }
            }
        }

        Kernel.assertUnloaded(ours);
    }

    @Test
    void badConfigurationIsOneClearLineAndLoadsNothing() {
        Set<Long> before = Kernel.programIdsHeldBy(ProcessHandle.current().pid());

        assertThatThrownBy(() -> LoadedProbes.start(Kernel.config(Map.of("bpfscope.write.buffer-bytes", "12345"))))
                .isInstanceOf(StartupFailure.class)
                .hasMessage("bpfscope.write.buffer-bytes must be a power of two of at least 4096 bytes, not 12345");
        assertThatThrownBy(() -> LoadedProbes.start(Kernel.config(Map.of("bpfscope.btf-path", "/nonexistent/vmlinux"))))
                .isInstanceOf(StartupFailure.class)
                .hasMessage("cannot read bpfscope.btf-path /nonexistent/vmlinux: give a readable BTF file for this kernel");
        assertThat(Kernel.programIdsHeldBy(ProcessHandle.current().pid())).isEqualTo(before);
    }

    @Test
    void fallbacksAreFeatureNamesOrAll() {
        assertThat(Preflight.fallbacks(List.of("threads", "argv_loop")))
                .containsExactlyInAnyOrder(KernelFeature.THREADS, KernelFeature.ARGV_LOOP);
        assertThat(Preflight.fallbacks(List.of("all"))).containsExactlyInAnyOrder(KernelFeature.values());
        assertThat(Preflight.fallbacks(List.of())).isEmpty();
        assertThatThrownBy(() -> Preflight.fallbacks(List.of("threads", "ringbuffer")))
                .isInstanceOf(StartupFailure.class)
                .hasMessage("bpfscope.fallbacks names ringbuffer, which is not a feature: give all or some of buffer,"
                        + " argv_loop, threads, exec_result, clock, probe_read, filter_state, map_reads");
    }

    @Test
    void aBtfFileThatIsNotThisKernelsIsRefusedBeforeAnythingLoads(@TempDir Path dir) throws Exception {
        Set<Long> before = Kernel.programIdsHeldBy(ProcessHandle.current().pid());
        Path garbage = Files.write(dir.resolve("garbage.btf"), "not BTF at all".getBytes());
        // An object's own BTF is BTF, but describes no kernel.
        Path object = Files.write(dir.resolve("layout.bpf.o"), Kernel.testObject("layout"));

        assertThatThrownBy(() -> LoadedProbes.start(Kernel.config(Map.of("bpfscope.btf-path", garbage.toString()))))
                .isInstanceOf(StartupFailure.class)
                .hasMessageStartingWith("bpfscope.btf-path " + garbage + " is not a BTF file (");
        assertThatThrownBy(() -> LoadedProbes.start(Kernel.config(Map.of("bpfscope.btf-path", object.toString()))))
                .isInstanceOf(StartupFailure.class)
                .hasMessage("bpfscope.btf-path " + object + " is BTF, but not a kernel's (no struct task_struct):"
                        + " give the BTF of this kernel");
        assertThat(Kernel.programIdsHeldBy(ProcessHandle.current().pid())).isEqualTo(before);
    }

    @Test
    void aBtfFileForThisKernelRelocatesThePrograms(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(Path.of("/sys/kernel/btf/vmlinux"), dir.resolve("vmlinux.btf"));

        try (LoadedProbes probes = LoadedProbes.start(Kernel.config(Map.of("bpfscope.btf-path", copy.toString())))) {
            assertThat(probes.paths().btfFile()).contains(copy);
            assertThat(probes.paths().byFeature()).containsEntry("btf", "file")
                    .containsAllEntriesOf(ExpectedPaths.here().byFeature());
            assertThat(probes.programNames()).containsExactlyInAnyOrderElementsOf(ExpectedPaths.here().programs());
        }
    }

    @Test
    void capabilitiesAreReadFromTheStatusFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path status = dir.resolve("status");
        java.nio.file.Files.writeString(status, "Name:\tx\nCapEff:\t0000000000000000\n");
        assertThatThrownBy(() -> Preflight.checkCapabilities(status))
                .isInstanceOf(StartupFailure.class).hasMessageContaining("CAP_BPF and CAP_PERFMON");

        java.nio.file.Files.writeString(status, "CapEff:\t000000c000000000\n");
        Preflight.checkCapabilities(status);
        java.nio.file.Files.writeString(status, "CapEff:\t0000000000200000\n");
        Preflight.checkCapabilities(status);
    }
}
