package io.bpfscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Kernel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
            assertThat(probes.write().programNames()).containsExactlyInAnyOrderElementsOf(Kernel.WRITE_PROGRAMS);
            assertThat(probes.exec().programNames()).containsExactlyInAnyOrderElementsOf(Kernel.expectedExecPrograms());

            ours.addAll(Kernel.programIdsHeldBy(self));
            ours.removeAll(before);
            assertThat(ours).hasSize(Kernel.expectedPrograms().size());
            Set<Long> linked = new HashSet<>();
            for (JsonNode link : Kernel.bpftool("link", "show")) {
                linked.add(link.path("prog_id").asLong());
            }
            assertThat(linked).containsAll(ours);
            for (JsonNode program : Kernel.bpftool("prog", "show")) {
                if (ours.contains(program.path("id").asLong())) {
                    assertThat(program.path("name").asText()).isIn(Kernel.expectedPrograms());
                    // tracepoint programs, and the tp_btf ones (task_rename, fork, exit) show as "tracing"
                    assertThat(program.path("type").asText()).isIn("tracepoint", "tracing");
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
        assertThatThrownBy(() -> LoadedProbes.start(Kernel.config(Map.of("bpfscope.btf", "/nonexistent/vmlinux"))))
                .isInstanceOf(StartupFailure.class)
                .hasMessageStartingWith("no kernel BTF at /nonexistent/vmlinux");
        assertThat(Kernel.programIdsHeldBy(ProcessHandle.current().pid())).isEqualTo(before);
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
