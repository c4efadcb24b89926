package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

/** The chart in helm/bpfscope, rendered and linted in-process by Helm's own code (helm-java). */
final class Chart {

    static final Path DIR = Path.of("helm", "bpfscope");
    static final String RELEASE = "bpfscope";
    static final String NAMESPACE = "bpfscope";
    static final YAMLMapper YAML = new YAMLMapper();

    private Chart() {
    }

    /** {@code helm template bpfscope helm/bpfscope --namespace bpfscope -f <values>}, as Helm prints it. */
    static String template(Map<String, ?> values) {
        TemplateCommand command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        Path file = null;
        try {
            if (!values.isEmpty()) {
                file = Files.createTempFile("bpfscope-values", ".yaml");
                YAML.writeValue(file.toFile(), values);
                command.withValuesFile(file);
            }
            return command.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** The objects {@link #template} renders. */
    static Rendered render(Map<String, ?> values) {
        return Rendered.parse(template(values));
    }

    /** project.version of pom.xml, which the chart's version and appVersion follow. */
    static String pomVersion() {
        try {
            var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
            var children = pom.getDocumentElement().getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if ("version".equals(children.item(i).getNodeName())) {
                    return children.item(i).getTextContent().strip();
                }
            }
            throw new AssertionError("pom.xml has no project version");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read pom.xml", e);
        }
    }

    /**
     * {@code helm lint --strict} with {@code values} over the chart's own. helm-java's lint takes no
     * values, so it lints a copy of the chart whose values.yaml has them merged in.
     */
    static LintResult lint(Map<String, ?> values) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("bpfscope-chart").resolve("bpfscope");
            copyTree(DIR, copy);
            ObjectNode merged = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
            merge(merged, YAML.valueToTree(values));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                deleteTree(copy.getParent());
            }
        }
    }

    /** As Helm merges values: maps key by key, anything else (lists too) replaced whole. */
    private static void merge(ObjectNode into, JsonNode over) {
        over.properties().forEach(entry -> {
            if (into.get(entry.getKey()) instanceof ObjectNode existing && entry.getValue().isObject()) {
                merge(existing, entry.getValue());
            } else {
                into.set(entry.getKey(), entry.getValue());
            }
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Chart::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            path.toFile().delete();
        }
    }

    static V1Container container(V1DaemonSet daemonSet) {
        List<V1Container> containers = daemonSet.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.getFirst();
    }

    /** The variables given as values (NODE_NAME comes from the downward API instead). */
    static Map<String, String> env(V1DaemonSet daemonSet) {
        return container(daemonSet).getEnv().stream().filter(variable -> variable.getValue() != null)
                .collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue));
    }

    static Map<String, V1Volume> volumes(V1DaemonSet daemonSet) {
        return daemonSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                .collect(Collectors.toMap(V1Volume::getName, volume -> volume));
    }

    static Map<String, V1VolumeMount> mountsByPath(V1Container container) {
        return container.getVolumeMounts().stream()
                .collect(Collectors.toMap(V1VolumeMount::getMountPath, mount -> mount));
    }
}
