package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.bpfscope.testing.HostJvmOptions;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint and helm template of helm/bpfscope, every rendered object checked against the API schema. */
class ChartTest {

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("privileged", Map.of("securityContext", Map.of("privileged", true))),
                Arguments.of("ServiceMonitor", Map.of("serviceMonitor", Map.of("enabled", true, "scrapeTimeout", "10s",
                        "labels", Map.of("release", "kube-prometheus-stack")))),
                Arguments.of("NetworkPolicy", Map.of("networkPolicy", Map.of("enabled", true, "from", List.of(
                        Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring"))))))),
                Arguments.of("existing Secret", Map.of("apiToken", Map.of("existingSecret", "team-token", "existingSecretKey", "bearer"))),
                Arguments.of("TLS with client certificates and a ServiceMonitor", Map.of(
                        "tls", Map.of("secretName", "bpfscope-tls", "clientAuth", true),
                        "serviceMonitor", Map.of("enabled", true))),
                Arguments.of("JSON logs, emptyDir state, extras", Map.of(
                        "config", Map.of("logJson", true, "buffer", "perf", "bpfStats", true),
                        "stateDir", Map.of("hostPath", ""),
                        "extraEnv", List.of(Map.of("name", "BPFSCOPE_POLL_INTERVAL", "value", "10ms")),
                        "securityContext", Map.of("extraCapabilities", List.of("SYS_ADMIN")),
                        "serviceAccount", Map.of("create", false, "name", "node-agents"),
                        "priorityClassName", "system-node-critical")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void lintsCleanInStrictMode(String name, Map<String, ?> values) {
        LintResult lint = Chart.lint(values);
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void rendersOnlyObjectsTheApiAccepts(String name, Map<String, ?> values) {
        Rendered rendered = Chart.render(values);
        // Every object was read through the API schema by Rendered.parse; these must be there.
        assertThat(rendered.one(V1DaemonSet.class).getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(rendered.one(V1Service.class).getMetadata().getName()).isEqualTo("bpfscope");
    }

    @Test
    void chartVersionsFollowThePom() throws IOException {
        JsonNode chart = Chart.YAML.readTree(Chart.DIR.resolve("Chart.yaml").toFile());
        assertThat(chart.path("version").asText()).as("version in Chart.yaml").isEqualTo(Chart.pomVersion());
        assertThat(chart.path("appVersion").asText()).as("appVersion in Chart.yaml (the image tag)").isEqualTo(Chart.pomVersion());
    }

    @Test
    void leastPrivilegeByDefault() {
        V1DaemonSet daemonSet = Chart.render(Map.of()).one(V1DaemonSet.class);
        V1PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
        V1SecurityContext security = Chart.container(daemonSet).getSecurityContext();

        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).containsExactly("BPF", "PERFMON", "SYS_RESOURCE");
        assertThat(security.getPrivileged()).isFalse();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getRunAsUser()).isZero();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getHostNetwork()).as("hostNetwork").isNull();
        assertThat(pod.getHostIPC()).as("hostIPC").isNull();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getTolerations()).singleElement()
                .satisfies(toleration -> {
                    assertThat(toleration.getOperator()).isEqualTo("Exists");
                    assertThat(toleration.getKey()).isNull();
                    assertThat(toleration.getEffect()).isNull();
                });
    }

    @Test
    void onNodesWithoutKernelBtfABtfFileFromTheNodeIsMountedAndGiven() {
        V1DaemonSet daemonSet = Chart.render(Map.of("btf", Map.of("hostPath", "/var/lib/btf/vmlinux-5.4.btf")))
                .one(V1DaemonSet.class);
        Map<String, V1VolumeMount> mounts = Chart.mountsByPath(Chart.container(daemonSet));

        assertThat(mounts).doesNotContainKey("/sys/kernel/btf");
        V1VolumeMount file = mounts.get("/etc/bpfscope/btf/vmlinux-5.4.btf");
        assertHostPath(Chart.volumes(daemonSet), file, "/var/lib/btf/vmlinux-5.4.btf", true);
        assertThat(Chart.volumes(daemonSet).get(file.getName()).getHostPath().getType()).isEqualTo("File");
        assertThat(Chart.env(daemonSet)).containsEntry("BPFSCOPE_BTF_PATH", "/etc/bpfscope/btf/vmlinux-5.4.btf");
    }

    @Test
    void privilegedIsOptIn() {
        V1SecurityContext security = Chart.container(Chart.render(Map.of("securityContext", Map.of("privileged", true)))
                .one(V1DaemonSet.class)).getSecurityContext();

        assertThat(security.getPrivileged()).isTrue();
        assertThat(security.getCapabilities()).isNull();
        assertThat(security.getAllowPrivilegeEscalation()).isNull();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void mountsWhatTheDaemonNeedsFromTheNode() {
        V1DaemonSet daemonSet = Chart.render(Map.of()).one(V1DaemonSet.class);
        Map<String, V1Volume> volumes = Chart.volumes(daemonSet);
        Map<String, V1VolumeMount> mounts = Chart.mountsByPath(Chart.container(daemonSet));

        assertHostPath(volumes, mounts.get("/sys/kernel/btf"), "/sys/kernel/btf", true);
        assertHostPath(volumes, mounts.get("/sys/kernel/tracing"), "/sys/kernel/tracing", true);
        assertHostPath(volumes, mounts.get("/sys/fs/bpf"), "/sys/fs/bpf", true);
        assertHostPath(volumes, mounts.get("/var/lib/bpfscope"), "/var/lib/bpfscope", false);
        assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();
        assertThat(mounts.get("/tmp").getReadOnly()).isNull();
        assertThat(Chart.env(daemonSet)).containsEntry("BPFSCOPE_FILTER_STATE_DIR", "/var/lib/bpfscope");

        assertThat(Chart.env(daemonSet)).doesNotContainKey("BPFSCOPE_BTF_PATH");

        V1DaemonSet withoutHostPath = Chart.render(Map.of("stateDir", Map.of("hostPath", ""))).one(V1DaemonSet.class);
        V1Volume state = Chart.volumes(withoutHostPath).get(Chart.mountsByPath(Chart.container(withoutHostPath)).get("/var/lib/bpfscope").getName());
        assertThat(state.getHostPath()).isNull();
        assertThat(state.getEmptyDir()).isNotNull();
    }

    @Test
    void attributionGetsTheNodeNameTheCgroupTreeTheCriSocketAndDockerOnlyWhenAsked() {
        V1DaemonSet daemonSet = Chart.render(Map.of()).one(V1DaemonSet.class);
        Map<String, V1Volume> volumes = Chart.volumes(daemonSet);
        Map<String, V1VolumeMount> mounts = Chart.mountsByPath(Chart.container(daemonSet));

        assertThat(Chart.container(daemonSet).getEnv()).anySatisfy(variable -> {
            assertThat(variable.getName()).isEqualTo("NODE_NAME");
            assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        });
        assertHostPath(volumes, mounts.get("/host/cgroup"), "/sys/fs/cgroup", true);
        assertThat(Chart.env(daemonSet)).containsEntry("BPFSCOPE_ATTRIBUTION_CGROUP_ROOT", "/host/cgroup")
                .containsEntry("BPFSCOPE_ATTRIBUTION_SERIES_GRACE", "5m")
                .containsEntry("BPFSCOPE_ATTRIBUTION_CRI_SOCKETS", "/host/run/cri.sock")
                .doesNotContainKey("BPFSCOPE_ATTRIBUTION_DOCKER_SOCKET");
        assertThat(mounts).doesNotContainKey("/host/run/docker.sock");
        assertHostPath(volumes, mounts.get("/host/run/cri.sock"), "/run/containerd/containerd.sock", true);
        assertThat(volumes.get(mounts.get("/host/run/cri.sock").getName()).getHostPath().getType()).isEqualTo("Socket");

        V1DaemonSet noCri = Chart.render(Map.of("attribution", Map.of("criSocket", ""))).one(V1DaemonSet.class);
        assertThat(Chart.mountsByPath(Chart.container(noCri))).doesNotContainKey("/host/run/cri.sock");
        assertThat(Chart.env(noCri)).doesNotContainKey("BPFSCOPE_ATTRIBUTION_CRI_SOCKETS");

        V1DaemonSet docker = Chart.render(Map.of("attribution", Map.of("dockerSocket", "/var/run/docker.sock",
                "cgroupRoot", "/sys/fs/cgroup/unified"))).one(V1DaemonSet.class);
        Map<String, V1Volume> dockerVolumes = Chart.volumes(docker);
        Map<String, V1VolumeMount> dockerMounts = Chart.mountsByPath(Chart.container(docker));
        assertHostPath(dockerVolumes, dockerMounts.get("/host/run/docker.sock"), "/var/run/docker.sock", true);
        assertThat(dockerVolumes.get(dockerMounts.get("/host/run/docker.sock").getName()).getHostPath().getType())
                .isEqualTo("Socket");
        assertHostPath(dockerVolumes, dockerMounts.get("/host/cgroup"), "/sys/fs/cgroup/unified", true);
        assertThat(Chart.env(docker)).containsEntry("BPFSCOPE_ATTRIBUTION_DOCKER_SOCKET", "/host/run/docker.sock");
    }

    @Test
    void probesAskTheHealthEndpoints() {
        V1Container container = Chart.container(Chart.render(Map.of()).one(V1DaemonSet.class));

        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        for (var probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrValue()).isEqualTo("http-metrics");
            assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
        }
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http-metrics");
            assertThat(port.getContainerPort()).isEqualTo(9445);
        });
    }

    @Test
    void rollsOutNodeByNodeWithBoundedResources() {
        V1DaemonSet daemonSet = Chart.render(Map.of()).one(V1DaemonSet.class);
        V1Container container = Chart.container(daemonSet);

        assertThat(daemonSet.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(daemonSet.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntValue()).isEqualTo(1);
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsOnlyKeys("memory");
        assertThat(Chart.env(daemonSet)).as("a pod's JVM runs as a host's (scripts/jvm.options)")
                .containsEntry("JAVA_TOOL_OPTIONS", HostJvmOptions.line());
        assertThat(container.getImage()).isEqualTo("bpfscope:" + Chart.pomVersion());
    }

    @Test
    void configurationReachesTheDaemonAsEnvironment() {
        assertThat(Chart.env(Chart.render(Map.of()).one(V1DaemonSet.class))).containsAllEntriesOf(Map.of(
                "BPFSCOPE_BUFFER", "auto", "BPFSCOPE_WRITE_MAX_SERIES", "2048", "BPFSCOPE_FILTER_MAX_PIDS", "4096",
                "BPFSCOPE_BPF_STATS", "false", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"));

        Map<String, String> changed = Chart.env(Chart.render(Map.of(
                "config", Map.of("logJson", true, "buffer", "perf", "writeMaxSeries", 64, "filterMaxPids", 16),
                "jvm", Map.of("maxHeap", "96m", "extraOptions", "-Xss512k"),
                "extraEnv", List.of(Map.of("name", "BPFSCOPE_POLL_INTERVAL", "value", "10ms")))).one(V1DaemonSet.class));
        assertThat(changed).containsAllEntriesOf(Map.of(
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true", "BPFSCOPE_BUFFER", "perf", "BPFSCOPE_WRITE_MAX_SERIES", "64",
                "BPFSCOPE_FILTER_MAX_PIDS", "16", "BPFSCOPE_POLL_INTERVAL", "10ms",
                "JAVA_TOOL_OPTIONS", "-Xms8m -Xmx96m -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:NewRatio=1 -XX:SurvivorRatio=2 -XX:TrimNativeHeapInterval=1000 -Xss512k"));
    }

    @Test
    void theStdoutExportIsOptInAndLeavesStandardOutputToItsLines() {
        assertThat(Chart.env(Chart.render(Map.of()).one(V1DaemonSet.class)))
                .doesNotContainKeys("BPFSCOPE_EXPORT_STDOUT", "QUARKUS_LOG_CONSOLE_STDERR", "BPFSCOPE_EXPORT_TYPES",
                        "BPFSCOPE_EXPORT_NAMESPACES");

        Map<String, String> exporting = Chart.env(Chart.render(Map.of("export", Map.of("stdout", true,
                "types", List.of("exec"), "namespaces", List.of("prod", "payments")))).one(V1DaemonSet.class));
        assertThat(exporting).containsAllEntriesOf(Map.of("BPFSCOPE_EXPORT_STDOUT", "true",
                "QUARKUS_LOG_CONSOLE_STDERR", "true", "BPFSCOPE_EXPORT_TYPES", "exec",
                "BPFSCOPE_EXPORT_NAMESPACES", "prod,payments"));
    }

    /**
     * Each key of values.yaml down to the second level has a comment line above it, or opens a
     * section whose first line is one (its keys then each have theirs).
     */
    @Test
    void everyValueIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(Chart.DIR.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher key = Pattern.compile("^( {0,2})[A-Za-z]\\w*:").matcher(lines.get(i));
            if (!key.find()) {
                continue;
            }
            boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
            boolean section = i + 1 < lines.size()
                    && lines.get(i + 1).startsWith(" ".repeat(key.group(1).length() + 2) + "#");
            if (!commented && !section) {
                undocumented.add(lines.get(i));
            }
        }
        assertThat(undocumented).as("values without a comment").isEmpty();
    }

    private static void assertHostPath(Map<String, V1Volume> volumes, V1VolumeMount mount, String hostPath, boolean readOnly) {
        assertThat(mount).as("mount of %s", hostPath).isNotNull();
        assertThat(volumes.get(mount.getName()).getHostPath().getPath()).isEqualTo(hostPath);
        assertThat(Boolean.TRUE.equals(mount.getReadOnly())).as("%s read-only", hostPath).isEqualTo(readOnly);
    }

}
