package io.bpfscope.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.DockerCli;
import io.bpfscope.testing.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cgroup ids of real containers, made by the real Docker engine in
 * kubelet's cgroup layout and with its labels, resolved to their pods.
 */
class WorkloadsIT {

    private static final long SECOND = 1_000_000_000L;
    private static final int SELF = (int) ProcessHandle.current().pid();
    private static Path mount;
    private static String image;
    private final List<String> containers = new ArrayList<>();
    /** Top-level cgroups made for a test, under the cgroup2 tree and every v1 hierarchy: removed after it. */
    private final List<String> cgroups = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();

    @BeforeAll
    static void engineAndTree() throws IOException {
        Kernel.requireRoot();
        DockerCli.requireEngine();
        image = DockerCli.baseImage();
        mount = CgroupTree.cgroup2Mount(Files.readAllLines(Path.of("/proc/self/mountinfo"))).orElseThrow(
                () -> new AssertionError("no cgroup2 hierarchy is mounted"));
    }

    @AfterEach
    void removeWhatWasMade() {
        for (String id : containers) {
            DockerCli.run("docker", "rm", "-f", id);
        }
        cgroups.forEach(DockerCli::removeCgroups);
    }

    @Test
    void aContainerInKubeletsLayoutResolvesToItsPodByCgroupIdOnceAndThenFromTheCache() throws Exception {
        String uid = UUID.randomUUID().toString();
        String top = "bpfscope-it-" + uid.substring(0, 8);
        cgroups.add(top);
        String id = DockerCli.runInPod(image, top, uid);
        containers.add(id);
        String pid = DockerCli.run("docker", "inspect", "--format", "{{.State.Pid}}", id).strip();
        long cgroupId = Cgroup2.idOf(Long.parseLong(pid));
        Workloads workloads = workloads();

        Workload expected = new Workload(new Container(id, "app", image, ContainerRuntime.DOCKER),
                Optional.of(new Pod("web-0", "shop", uid)));
        assertThat(workloads.of(cgroupId, Integer.parseInt(pid), Optional.empty())).contains(expected);
        assertThat(workloads.of(cgroupId, Integer.parseInt(pid), Optional.empty())).contains(expected);
        assertThat(workloads.lookups()).as("Docker asked once for two events").isEqualTo(1);
        assertThat(workloads.failures()).isZero();

        workloads.forget(id);
        assertThat(workloads.of(cgroupId, Integer.parseInt(pid), Optional.empty())).contains(expected);
        assertThat(workloads.lookups()).as("asked again once the runtime said the container changed").isEqualTo(2);
    }

    @Test
    void aHostProcessHasNoWorkloadAndCostsNoLookup() throws Exception {
        Workloads workloads = workloads();

        assertThat(workloads.of(Cgroup2.idOf(ProcessHandle.current().pid()), SELF, Optional.empty())).isEmpty();
        assertThat(workloads.lookups()).isZero();
    }

    @Test
    void aContainerIdNoRuntimeKnowsIsAskedAboutOncePerExpiry() throws Exception {
        long cgroupId = containerCgroupOfNoContainer();
        Workloads workloads = workloads();

        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.lookups()).isEqualTo(1);
        assertThat(workloads.failures()).isEqualTo(1);
        now.addAndGet(Workloads.RETRY_NANOS);
        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.lookups()).as("the runtime's \"no such container\" stands longer than a retry")
                .isEqualTo(1);
        now.addAndGet(10 * SECOND);
        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.lookups()).as("asked again once the negative answer expired").isEqualTo(2);
    }

    @Test
    void aContainerTheRuntimeCouldNotBeAskedAboutIsAskedAgainSoonerThanAnUnknownOne() throws Exception {
        long cgroupId = containerCgroupOfNoContainer();
        // An engine that is not there (stopped, restarting): asking fails rather than answers.
        Workloads workloads = workloads(Path.of("/run/bpfscope-no-such-engine.sock"));

        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.lookups()).isEqualTo(1);
        now.addAndGet(Workloads.RETRY_NANOS);
        assertThat(workloads.of(cgroupId, SELF, Optional.empty())).isEmpty();
        assertThat(workloads.lookups()).as("asked again a retry later, not after the 10 s of an unknown one")
                .isEqualTo(2);
    }

    /** A cgroup named as Docker names a container's, for an id no runtime knows: its cgroup id. */
    private long containerCgroupOfNoContainer() throws IOException {
        String top = "bpfscope-it-" + UUID.randomUUID().toString().substring(0, 8);
        cgroups.add(top);
        Path cgroup = Files.createDirectories(mount.resolve(top + "/docker/" + "ab".repeat(32)));
        return (Long) Files.getAttribute(cgroup, "unix:ino");
    }

    private Workloads workloads() {
        return workloads(Path.of("/var/run/docker.sock"));
    }

    private Workloads workloads(Path dockerSocket) {
        return new Workloads(new CgroupTree(mount, 100_000, 0, now::get),
                List.of(new DockerEngine(dockerSocket, Duration.ofSeconds(5))), 100, 10 * SECOND, now::get);
    }
}
