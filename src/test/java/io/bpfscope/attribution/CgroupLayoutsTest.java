package io.bpfscope.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.ExecEvent;
import io.bpfscope.probe.WriteCounts;
import io.bpfscope.probe.WriteProbe;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.ExecRecorder;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.WriteSizes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each runtime's cgroup layout, made for real in the cgroup2 tree: a process
 * moved into it writes and execs; its writes count under the cgroup's id,
 * its exec carries that id, and the cgroup names the kernel put in the
 * exec record name the container and pod after the cgroup is gone, when
 * the tree no longer can.
 */
class CgroupLayoutsTest {

    private static final String ID = "0123456789abcdef".repeat(4);
    private static final String UID = "8d1c2a0e-5b7f-4c3d-9e21-a4b6c8d0e2f4";
    private static final String UID_ = UID.replace('-', '_');
    private static final int WRITES = 7;

    private static WriteProbe writes;
    private static ExecRecorder execs;

    @BeforeAll
    static void attach() {
        Kernel.requireRoot();
        writes = Kernel.writeProbe(Map.of());
        writes.attach();
        execs = ExecRecorder.attach(Map.of());
    }

    @AfterAll
    static void detach() throws InterruptedException {
        execs.close();
        writes.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "docker/ID                                                                        | DOCKER     | ",
        "system.slice/docker-ID.scope                                                     | DOCKER     | ",
        "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podUID_.slice/cri-containerd-ID.scope | CONTAINERD | UID",
        "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice:cri-containerd:ID | CONTAINERD | UID",
        "kubepods.slice/kubepods-podUID_.slice/crio-ID.scope                              | CRIO       | UID",
        "kubepods/besteffort/podUID/ID                                                    |            | UID",
        "kubepods/burstable/podUID/crio-ID                                                | CRIO       | UID",
        "kubepods.slice/kubepods-podUID_.slice/crio-conmon-ID.scope                       |            | ",
    })
    void aProcessInTheLayoutIsCountedAndNamedByItsCgroupEvenOnceItIsGone(String layout, String runtime, String pod)
            throws Exception {
        String top = "bpfscope-layouts-" + UUID.randomUUID().toString().substring(0, 8);
        String path = layout.replace("UID_", UID_).replace("UID", UID).replace("ID", ID);
        String comm = "bpfly" + Long.toHexString(System.nanoTime() & 0xffffffL);
        Path dir = Files.createTempDirectory("bpfscope-layout");
        Path shell = Files.createSymbolicLink(dir.resolve(comm), Path.of("/bin/sh"));
        long cgroupId;
        Process process;
        try (Cgroup2 cgroup = Cgroup2.make(top + "/" + path)) {
            cgroupId = cgroup.id();
            process = new ProcessBuilder(shell.toString(), "-c", "read go; i=0; while [ $i -lt " + WRITES
                    + " ]; do echo x >/dev/null; i=$((i+1)); done; exec /bin/true " + top).start();
            cgroup.add(process.pid());
            try (OutputStream go = process.getOutputStream()) {
                go.write('\n');
            }
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            Files.deleteIfExists(shell);
            Files.deleteIfExists(dir);
        }

        // Its own start (the shell's exec) was before the move: the exec of /bin/true is the one in the cgroup.
        ExecEvent exec = execs.await(e -> e.pid() == process.pid() && e.filename().equals("/bin/true"));
        assertThat(exec.cgroupId()).as("the cgroup directory's inode").isEqualTo(cgroupId);
        String[] names = path.split("/");
        assertThat(exec.cgroupTail()).isEqualTo("/" + names[names.length - 2] + "/" + names[names.length - 1]);
        assertThat(new CgroupTree(Cgroup2.mount(), 1 << 20, 0, System::nanoTime).path(cgroupId, (int) process.pid()))
                .as("the cgroup is gone from the tree").isEmpty();
        Optional<CgroupContainer> named = CgroupContainer.of(exec.cgroupTail());
        if (runtime == null && pod == null) {
            assertThat(named).as("a runtime's monitor, not a container").isEmpty();
        } else {
            assertThat(named).contains(new CgroupContainer(ID,
                    Optional.ofNullable(runtime).map(ContainerRuntime::valueOf), Optional.ofNullable(pod).map(uid -> UID)));
        }
        assertThat(writes.counts().read()).containsEntry(new WriteCounts.Writer(comm, cgroupId),
                WriteSizes.uniform(WRITES, 2));
    }
}
