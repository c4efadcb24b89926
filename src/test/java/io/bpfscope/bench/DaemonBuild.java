package io.bpfscope.bench;

import io.bpfscope.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The build of the daemon a run measures: its quarkus-app directory copied
 * into bench/build once, so a rebuild of the sources during the run cannot
 * change it, and run as everywhere else, with scripts/jvm.options and the
 * AOT cache its build left beside the jar.
 */
public record DaemonBuild(Daemon.Launch launch, String source) {

    public static DaemonBuild copy(Path jar, Path into, Path jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new HarnessFailure("no bpfscope jar at " + jar + ": build it (./mvnw -B -DskipTests package,"
                    + " preferably in a clone of its own) and pass -j PATH/quarkus-app/quarkus-run.jar");
        }
        Path app = jar.toAbsolutePath().getParent();
        Commands.run(List.of("rm", "-rf", into.toString()));
        Commands.run(List.of("cp", "-a", app.toString(), into.toString()));
        Path copied = into.resolve(jar.getFileName());
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "@" + jvmOptions));
        Path cache = into.resolve("bpfscope.aot");
        if (Files.isRegularFile(cache)) {
            options.add("-XX:AOTCache=" + cache);
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new DaemonBuild(new Daemon.Launch(java, copied, options), jar + " (" + origin(app) + ")");
    }

    /** The commit of the repository the build is in, or that it is in none. */
    private static String origin(Path app) {
        try {
            return "its repository at " + Commands.output(List.of("git", "-C", app.toString(), "rev-parse", "--short",
                    "HEAD")).strip();
        } catch (HarnessFailure notInOne) {
            return "not in a git repository";
        }
    }
}
