package io.bpfscope.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Volume;
import io.bpfscope.testing.Cgroup2;
import io.bpfscope.testing.CriPods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The daemon's image run as the DaemonSet runs it: the node's PID namespace
 * and network, root with every capability dropped but {@code capabilities},
 * a read-only root file system with a scratch /tmp, the kernel's BTF, tracefs,
 * bpffs, the cgroup2 tree, Docker's socket and the test containerd's CRI
 * socket (as the chart mounts the node's) mounted read-only from the
 * host, and the state directory from {@code stateDir}. It listens on a free
 * loopback port.
 */
final class BpfscopeContainer extends GenericContainer<BpfscopeContainer> {

    /** The node name the daemon is given, as the chart gives it NODE_NAME. */
    static final String NODE = "container-it-node";
    private static final long HEALTH_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    private static final String DOCKER_SOCKET = "/var/run/docker.sock";

    private final int port;

    BpfscopeContainer(Future<String> image, Path stateDir, Capability... capabilities) {
        super(image);
        this.port = freePort();
        withNetworkMode("host");
        withEnv(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port), "QUARKUS_HTTP_HOST", "127.0.0.1",
                "NODE_NAME", NODE, "BPFSCOPE_ATTRIBUTION_CGROUP_ROOT", "/host/cgroup",
                "BPFSCOPE_ATTRIBUTION_DOCKER_SOCKET", "/host/run/docker.sock",
                "BPFSCOPE_ATTRIBUTION_CRI_SOCKETS", "/host/run/cri.sock"));
        // Vert.x keeps a file cache in /tmp, and the CRI's transport its native library: the chart
        // mounts an emptyDir there, which allows exec where Docker's tmpfs would not.
        withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev"));
        withCreateContainerCmdModifier(create -> {
            // Binds set here rather than with withFileSystemBind, which first tries a mount in an
            // alpine container that cannot be pulled here.
            create.getHostConfig()
                    .withBinds(readOnly("/sys/kernel/btf"), readOnly("/sys/kernel/tracing"), readOnly("/sys/fs/bpf"),
                            new Bind(Cgroup2.mount().toString(), new Volume("/host/cgroup"), AccessMode.ro),
                            new Bind(DOCKER_SOCKET, new Volume("/host/run/docker.sock"), AccessMode.ro),
                            new Bind(CriPods.SOCKET.toString(), new Volume("/host/run/cri.sock"), AccessMode.ro),
                            new Bind(stateDir.toString(), new Volume("/var/lib/bpfscope"), AccessMode.rw))
                    .withPidMode("host")
                    .withReadonlyRootfs(true)
                    .withCapDrop(Capability.ALL)
                    .withCapAdd(capabilities);
            // The image's own health check, asked every second rather than every 15 s, is what
            // the start waits for: the Dockerfile's HEALTHCHECK is tested with it.
            create.withHealthcheck(new HealthCheck().withInterval(HEALTH_INTERVAL_NANOS));
        });
        waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
    }

    /** For a daemon meant to fail at start-up: started once it has exited, with its ERROR line. */
    BpfscopeContainer failingAtStartUp() {
        withStartupCheckStrategy(new HasExited().withTimeout(Duration.ofMinutes(1)));
        return waitingFor(Wait.forLogMessage(".* ERROR .*\\n", 1));
    }

    private static Bind readOnly(String hostDir) {
        return new Bind(hostDir, new Volume(hostDir), AccessMode.ro);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** The daemon's PID on the host (the container shares the host's PID namespace). */
    long hostPid() {
        return getContainerInfo().getState().getPidLong();
    }

    /** {@code docker stop}: SIGTERM, as the kubelet stops a pod; returns the exit status. */
    long stopGracefully(Duration grace) {
        getDockerClient().stopContainerCmd(getContainerId()).withTimeout((int) grace.toSeconds()).exec();
        return exitStatus();
    }

    long exitStatus() {
        return getCurrentContainerInfo().getState().getExitCodeLong();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class HasExited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            return "exited".equals(getCurrentState(docker, containerId).getStatus())
                    ? StartupStatus.SUCCESSFUL : StartupStatus.NOT_YET_KNOWN;
        }
    }
}
