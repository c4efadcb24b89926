package io.bpfscope.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image built from the project's Dockerfile, as a user builds it, on the
 * base images scripts/base-images makes (no registry is reachable here). The
 * tag stays after the tests, so the engine's layer cache makes the next build
 * fast.
 */
final class BpfscopeImage {

    private static final String TAG = "bpfscope:it";

    private BpfscopeImage() {
    }

    /** The image, built when a container first asks for it. */
    static ImageFromDockerfile fromDockerfile() {
        return new ImageFromDockerfile(TAG, false)
                .withDockerfile(Path.of("Dockerfile").toAbsolutePath())
                .withBuildArgs(baseImages())
                .withBuildArg("VERSION", version())
                // The engine has no bridge network: the apt-get of a RUN step goes through the host's.
                .withBuildImageCmdModifier(build -> build.withNetworkMode("host"));
    }

    /** JDK_IMAGE and BASE_IMAGE as scripts/base-images prints them, making the images if missing. */
    private static Map<String, String> baseImages() {
        try {
            Process script = new ProcessBuilder("scripts/base-images")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script.waitFor(10, TimeUnit.MINUTES)).as("scripts/base-images finished").isTrue();
            assertThat(script.exitValue()).as("exit status of scripts/base-images").isZero();
            Map<String, String> arguments = new LinkedHashMap<>();
            out.lines().map(line -> line.split("=", 2)).forEach(pair -> arguments.put(pair[0], pair[1]));
            assertThat(arguments).containsOnlyKeys("JDK_IMAGE", "BASE_IMAGE");
            return arguments;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The project version, from the packaged jar the image is made of. */
    private static String version() {
        try (JarFile jar = new JarFile(System.getProperty("bpfscope.jar"))) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
