package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.HostJvmOptions;
import io.bpfscope.testing.Kernel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build leaves the JVM's AOT cache beside the packaged daemon
 * (scripts/aot-train), and the daemon started with the shipped options uses
 * it: with -XX:AOTMode=on a cache that does not fit stops the JVM instead.
 */
class AotCacheIT {

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void theShippedOptionsStartTheDaemonFromTheBuildsCache() throws Exception {
        Path cache = Path.of(System.getProperty("bpfscope.jar")).resolveSibling("bpfscope.aot");
        assertThat(cache).as("the build's AOT cache").isNotEmptyFile();
        // As every launch path starts it: the cache holds the module options it was made with.
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        options.addAll(List.of(HostJvmOptions.line().split(" ")));
        options.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-Xlog:aot=info"));
        try (Daemon daemon = Daemon.start(options.toArray(String[]::new))) {
            daemon.awaitListening(Duration.ofSeconds(30));
            assertThat(daemon.output()).as("the daemon's output").contains("Opened AOT cache " + cache)
                    .contains("Using AOT-linked classes: true");
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }
}
