package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may reach the chart's daemon and how: the API token, TLS, the scrape, the network policy, the service account. */
class ChartAccessTest {

    @Test
    void serviceCarriesScrapeAnnotations() {
        V1Service service = Chart.render(Map.of()).one(V1Service.class);

        assertThat(service.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "prometheus.io/scrape", "true", "prometheus.io/port", "9445", "prometheus.io/path", "/q/metrics"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http-metrics");
            assertThat(port.getPort()).isEqualTo(9445);
            assertThat(port.getTargetPort().getStrValue()).isEqualTo("http-metrics");
        });
        assertThat(service.getSpec().getSelector())
                .isEqualTo(Chart.render(Map.of()).one(V1DaemonSet.class).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void generatedTokenIsMountedAndNamedToTheDaemon() {
        Rendered rendered = Chart.render(Map.of());
        V1DaemonSet daemonSet = rendered.one(V1DaemonSet.class);
        V1Secret secret = rendered.one(V1Secret.class);
        String token = new String(secret.getData().get("token"), StandardCharsets.UTF_8);

        assertThat(token).matches("[A-Za-z0-9]{40}");
        assertThat(new String(Chart.render(Map.of()).one(V1Secret.class).getData().get("token"), StandardCharsets.UTF_8))
                .as("a token drawn anew (no cluster to keep one from)").isNotEqualTo(token);
        V1VolumeMount mount = Chart.mountsByPath(Chart.container(daemonSet)).get("/var/run/secrets/bpfscope");
        V1Volume volume = Chart.volumes(daemonSet).get(mount.getName());
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(volume.getSecret().getSecretName()).isEqualTo(secret.getMetadata().getName());
        assertThat(volume.getSecret().getItems()).singleElement()
                .satisfies(item -> assertThat(item.getKey()).isEqualTo("token"));
        assertThat(Chart.env(daemonSet)).containsEntry("BPFSCOPE_API_TOKEN_FILE", "/var/run/secrets/bpfscope/token");
    }

    @Test
    void givenTokenOrExistingSecret() {
        V1Secret given = Chart.render(Map.of("apiToken", Map.of("value", "s3cret"))).one(V1Secret.class);
        assertThat(new String(given.getData().get("token"), StandardCharsets.UTF_8)).isEqualTo("s3cret");

        Rendered existing = Chart.render(Map.of("apiToken", Map.of("existingSecret", "team-token", "existingSecretKey", "bearer")));
        V1DaemonSet daemonSet = existing.one(V1DaemonSet.class);
        assertThat(existing.all(V1Secret.class)).as("Secrets the chart creates").isEmpty();
        V1Volume volume = Chart.volumes(daemonSet).get(Chart.mountsByPath(Chart.container(daemonSet)).get("/var/run/secrets/bpfscope").getName());
        assertThat(volume.getSecret().getSecretName()).isEqualTo("team-token");
        assertThat(volume.getSecret().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("bearer");
            assertThat(item.getPath()).isEqualTo("bearer");
        });
        assertThat(Chart.env(daemonSet)).containsEntry("BPFSCOPE_API_TOKEN_FILE", "/var/run/secrets/bpfscope/bearer");
    }

    @Test
    void serviceMonitorOnlyWhenAskedAndScrapesTheService() {
        assertThat(Chart.render(Map.of()).all(ServiceMonitor.class)).isEmpty();

        Rendered rendered = Chart.render(Map.of("serviceMonitor", Map.of("enabled", true,
                "labels", Map.of("release", "kube-prometheus-stack"))));
        ServiceMonitor monitor = rendered.one(ServiceMonitor.class);
        V1Service service = rendered.one(V1Service.class);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(Chart.NAMESPACE);
        Endpoint endpoint = monitor.getSpec().getEndpoints().getFirst();
        assertThat(endpoint.getPort()).isEqualTo(service.getSpec().getPorts().getFirst().getName());
        assertThat(endpoint.getPath()).isEqualTo("/q/metrics");
        assertThat(endpoint.getInterval()).isEqualTo("30s");
        assertThat(service.getMetadata().getLabels().get(monitor.getSpec().getJobLabel())).as("job label").isEqualTo("bpfscope");
    }

    @Test
    void tlsMountsTheSecretNamesItsFilesAndProbesAndScrapesOverHttps() {
        assertThat(Chart.env(Chart.render(Map.of()).one(V1DaemonSet.class))).doesNotContainKeys("BPFSCOPE_TLS_CERT_FILE",
                "BPFSCOPE_TLS_KEY_FILE", "BPFSCOPE_TLS_CLIENT_CA_FILE");

        Rendered rendered = Chart.render(Map.of("tls", Map.of("secretName", "bpfscope-tls", "reloadPeriod", "30s"),
                "serviceMonitor", Map.of("enabled", true)));
        V1DaemonSet daemonSet = rendered.one(V1DaemonSet.class);
        assertThat(Chart.env(daemonSet)).containsAllEntriesOf(Map.of("BPFSCOPE_TLS_CERT_FILE", "/etc/bpfscope/tls/tls.crt",
                "BPFSCOPE_TLS_KEY_FILE", "/etc/bpfscope/tls/tls.key", "BPFSCOPE_TLS_RELOAD_PERIOD", "30s"))
                .doesNotContainKey("BPFSCOPE_TLS_CLIENT_CA_FILE");
        assertThat(Chart.volumes(daemonSet).get("tls").getSecret().getSecretName()).isEqualTo("bpfscope-tls");
        assertThat(Chart.container(daemonSet).getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getName()).isEqualTo("tls");
            assertThat(mount.getMountPath()).isEqualTo("/etc/bpfscope/tls");
            assertThat(mount.getReadOnly()).isTrue();
        });
        V1Container container = Chart.container(daemonSet);
        for (var probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
        }
        Endpoint endpoint = rendered.one(ServiceMonitor.class).getSpec().getEndpoints().getFirst();
        assertThat(endpoint.getScheme()).isEqualTo("https");
        assertThat(endpoint.getTlsConfig().getCa().getSecret().getName()).isEqualTo("bpfscope-tls");
        assertThat(endpoint.getTlsConfig().getCa().getSecret().getKey()).isEqualTo("ca.crt");
        assertThat(endpoint.getTlsConfig().getServerName()).isEqualTo("bpfscope." + Chart.NAMESPACE + ".svc");

        V1DaemonSet mutual = Chart.render(Map.of("tls", Map.of("secretName", "bpfscope-tls", "clientAuth", true)))
                .one(V1DaemonSet.class);
        assertThat(Chart.env(mutual)).containsEntry("BPFSCOPE_TLS_CLIENT_CA_FILE", "/etc/bpfscope/tls/ca.crt");
        V1Container mutualContainer = Chart.container(mutual);
        for (var probe : List.of(mutualContainer.getStartupProbe(), mutualContainer.getReadinessProbe(),
                mutualContainer.getLivenessProbe())) {
            assertThat(probe.getHttpGet()).as("the kubelet has no client certificate").isNull();
            assertThat(probe.getTcpSocket().getPort().getStrValue()).isEqualTo("http-metrics");
        }
    }

    @Test
    void networkPolicyOnlyWhenAskedAdmitsTheMetricsPortAndNoEgress() {
        assertThat(Chart.render(Map.of()).all(V1NetworkPolicy.class)).isEmpty();

        Rendered rendered = Chart.render(Map.of("networkPolicy", Map.of("enabled", true, "from", List.of(
                Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")))))));
        V1NetworkPolicy policy = rendered.one(V1NetworkPolicy.class);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(rendered.one(V1DaemonSet.class).getSpec().getSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getStrValue()).isEqualTo("http-metrics"));
            assertThat(rule.getFrom()).singleElement().satisfies(peer ->
                    assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
        });
        assertThat(policy.getSpec().getEgress()).isEmpty();
    }

    @Test
    void serviceAccountWithoutApiToken() {
        V1ServiceAccount account = Chart.render(Map.of()).one(V1ServiceAccount.class);
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(Chart.render(Map.of()).one(V1DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account.getMetadata().getName());
    }
}
