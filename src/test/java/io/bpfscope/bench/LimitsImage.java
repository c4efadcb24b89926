package io.bpfscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image a limits run measures, built from the project's Dockerfile as a
 * user builds it (README, "Container image"), around the build -j names:
 * the Dockerfile and .dockerignore are put beside a copy of its quarkus-app
 * directory, so a rebuild of the sources meanwhile changes nothing, and the
 * base images are those scripts/base-images makes (no registry here).
 */
final class LimitsImage {

    static final String TAG = "bpfscope:limits";

    private LimitsImage() {
    }

    /** Builds it from {@code jar}; returns its tag. */
    static String build(Path jar, Path dir) {
        if (!Files.isRegularFile(jar)) {
            throw new HarnessFailure("no bpfscope jar at " + jar + ": build it (./mvnw -B -DskipTests package) and pass"
                    + " -j PATH/quarkus-app/quarkus-run.jar, or an image with -i");
        }
        Path context = dir.resolve("image-context");
        Commands.run(List.of("mkdir", "-p", context.resolve("target").toString()));
        Commands.run(List.of("cp", "-a", jar.toAbsolutePath().getParent().toString(),
                context.resolve("target/quarkus-app").toString()));
        Commands.run(List.of("cp", "Dockerfile", ".dockerignore", context.toString()));
        List<String> command = new ArrayList<>(List.of("docker", "build", "--network", "host", "-t", TAG));
        Commands.output(List.of("scripts/base-images")).lines().forEach(argument -> command.addAll(List.of("--build-arg",
                argument)));
        command.add(context.toString());
        Log.say("building %s from %s", TAG, jar);
        Commands.run(command);
        return TAG;
    }
}
