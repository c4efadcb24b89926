package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/bpfscope.yaml is the chart rendered with its defaults, less the one value that cannot be
 * fixed in a file everyone applies: the API token. The chart would draw a new random token on every
 * render (there is no cluster to keep one from), and a token written here would be known to every
 * reader, so the manifest refers to a Secret the user creates (deploy/README.md says how).
 * deploy/render rewrites the file: it runs this test with -Dbpfscope.deploy.write=true.
 */
class DeployManifestsTest {

    static final Path MANIFEST = Path.of("deploy", "bpfscope.yaml");
    static final Map<String, ?> VALUES = Map.of("apiToken", Map.of("existingSecret", "bpfscope-api-token"));
    static final String HEADER = """
            # Rendered from helm/bpfscope by deploy/render; do not edit. Equivalent to
            #   helm template bpfscope helm/bpfscope --namespace bpfscope --set apiToken.existingSecret=bpfscope-api-token
            # Needs the namespace and the Secret holding the API token first (deploy/README.md).
            """;

    @Test
    void manifestIsTheChartRendered() throws IOException {
        String rendered = HEADER + Chart.template(VALUES);
        if (Boolean.getBoolean("bpfscope.deploy.write")) {
            Files.writeString(MANIFEST, rendered);
        }
        assertThat(Files.readString(MANIFEST)).as("%s against the chart (run deploy/render to rewrite it)", MANIFEST)
                .isEqualTo(rendered);
        assertThat(Rendered.parse(rendered).objects()).as("objects in %s", MANIFEST).isNotEmpty();
    }
}
