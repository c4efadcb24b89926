package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.attribution.cri.CriChannel;
import io.bpfscope.attribution.cri.CriException;
import io.bpfscope.attribution.cri.ProtoReader;
import io.bpfscope.attribution.cri.ProtoWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Pods made as kubelet makes them, through the CRI of the containerd
 * scripts/cri-engine starts (scripts/test starts it): pod "web-0" of
 * namespace "shop" under the cgroup parent /TOP/kubepods/besteffort/podUID,
 * with host networking (the node has no CNI), its containers labelled as
 * kubelet labels them.
 */
public final class CriPods implements AutoCloseable {

    public static final Path SOCKET = Path.of("/run/bpfscope-containerd/containerd.sock");
    /** The one image that containerd has: the base image, sleeping. */
    public static final String IMAGE = "docker.io/bpfscope-test/pause:1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int NODE = 2;
    private static final int CONTAINER = 1;

    private final CriChannel channel = new CriChannel(SOCKET);

    private CriPods() {
    }

    /** Fails loudly when the test containerd does not answer. */
    public static CriPods connect() throws CriException {
        assertThat(Files.exists(SOCKET)).as("the test containerd's socket %s (scripts/test starts it with"
                + " scripts/cri-engine)", SOCKET).isTrue();
        CriPods pods = new CriPods();
        pods.channel.call("Version", new ProtoWriter().string(1, "v1"), TIMEOUT);
        return pods;
    }

    /** A pod sandbox of pod web-0 with this UID; returns the sandbox's id. */
    public Sandbox run(String top, String uid) throws CriException {
        Sandbox sandbox = new Sandbox(top, uid, "");
        String id = string(channel.call("RunPodSandbox", new ProtoWriter().message(1, sandbox.config()), TIMEOUT));
        return new Sandbox(top, uid, id);
    }

    /** Creates and starts container {@code name} in the sandbox, running the image's sleep; returns its id. */
    public String start(Sandbox sandbox, String name) throws CriException {
        ProtoWriter config = new ProtoWriter()
                .message(1, new ProtoWriter().string(1, name))
                .message(2, new ProtoWriter().string(1, IMAGE))
                .map(9, Map.of("io.kubernetes.container.name", name, "io.kubernetes.pod.name", "web-0",
                        "io.kubernetes.pod.namespace", "shop", "io.kubernetes.pod.uid", sandbox.uid))
                .message(15, new ProtoWriter().message(2, new ProtoWriter().message(3, namespaces())));
        String id = string(channel.call("CreateContainer", new ProtoWriter().string(1, sandbox.id)
                .message(2, config).message(3, sandbox.config()), TIMEOUT));
        channel.call("StartContainer", new ProtoWriter().string(1, id), TIMEOUT);
        return id;
    }

    /** Runs {@code command} in the container, as a probe runs; returns its exit code. */
    public long exec(String containerId, List<String> command) throws CriException {
        ProtoWriter request = new ProtoWriter().string(1, containerId).varint(3, 30);
        command.forEach(word -> request.string(2, word));
        ProtoReader answer = channel.call("ExecSync", request, TIMEOUT);
        long code = 0;
        while (answer.next()) {
            if (answer.field() == 3) {
                code = answer.varint();
            } else {
                answer.skip();
            }
        }
        return code;
    }

    /** Stops and removes the sandbox and its containers, and the cgroups left under /TOP. */
    public void remove(Sandbox sandbox) throws CriException {
        channel.call("StopPodSandbox", new ProtoWriter().string(1, sandbox.id), TIMEOUT);
        channel.call("RemovePodSandbox", new ProtoWriter().string(1, sandbox.id), TIMEOUT);
        DockerCli.removeCgroups(sandbox.top);
    }

    /** Stops the test containerd (its containers go on) and waits until it no longer answers. */
    public static void stopRuntime() throws InterruptedException {
        DockerCli.run("pkill", "-TERM", "-f", "containerd --config /run/bpfscope-containerd/config.toml");
        for (int i = 0; i < 300 && answers(); i++) {
            Thread.sleep(100);
        }
        assertThat(answers()).as("the test containerd stopped within 30 s").isFalse();
    }

    /** Starts it again (scripts/cri-engine). */
    public static void startRuntime() {
        DockerCli.run("scripts/cri-engine");
        assertThat(answers()).as("the test containerd answers again").isTrue();
    }

    private static boolean answers() {
        try (CriChannel probe = new CriChannel(SOCKET)) {
            probe.call("Version", new ProtoWriter().string(1, "v1"), Duration.ofSeconds(2));
            return true;
        } catch (CriException e) {
            return false;
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    /** A pod sandbox: where its cgroups go, its pod's UID and its id (empty before it runs). */
    public record Sandbox(String top, String uid, String id) {

        ProtoWriter config() {
            return new ProtoWriter()
                    .message(1, new ProtoWriter().string(1, "web-0").string(2, uid).string(3, "shop"))
                    .map(6, Map.of("io.kubernetes.pod.name", "web-0", "io.kubernetes.pod.namespace", "shop",
                            "io.kubernetes.pod.uid", uid))
                    .message(8, new ProtoWriter().string(1, "/" + top + "/kubepods/besteffort/pod" + uid)
                            .message(2, new ProtoWriter().message(1, namespaces())));
        }
    }

    private static ProtoWriter namespaces() {
        return new ProtoWriter().varint(1, NODE).varint(2, CONTAINER);
    }

    /** An answer's id: field 1 of RunPodSandboxResponse and CreateContainerResponse. */
    private static String string(ProtoReader answer) {
        return answer.firstString(1).orElseThrow(() -> new AssertionError("the CRI answered without an id"));
    }
}
