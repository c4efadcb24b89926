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
 * AOT cache its build left beside the jar. With other JVM options the copy's
 * cache is trained again with them (scripts/aot-train): a cache serves only
 * the options it was made with.
 */
public record DaemonBuild(Daemon.Launch launch, String source) {

    public static DaemonBuild copy(Path jar, Path into, Path jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new HarnessFailure("no bpfscope jar at " + jar + ": build it (./mvnw -B -DskipTests package,"
                    + " preferably in a clone of its own) and pass -j PATH/quarkus-app/quarkus-run.jar");
        }
        Path app = jar.toAbsolutePath().getParent();
        Commands.run(List.of("rm", "-rf", into.toString()));
        Commands.run(List.of("mkdir", "-p", into.getParent().toString()));
        Commands.run(List.of("cp", "-a", app.toString(), into.toString()));
        Path copied = into.resolve(jar.getFileName());
        Path cache = into.resolve("bpfscope.aot");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path shipped = Path.of("scripts/jvm.options").toAbsolutePath();
        if (Files.isRegularFile(cache) && !jvmOptions.equals(shipped)) {
            Log.say("training the AOT cache of %s with %s", into, jvmOptions);
            Commands.run(List.of(Path.of("scripts/aot-train").toAbsolutePath().toString(), into.toString(), java,
                    jvmOptions.toString()));
        }
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "@" + jvmOptions));
        if (Files.isRegularFile(cache)) {
            options.add("-XX:AOTCache=" + cache);
        }
        return new DaemonBuild(new Daemon.Launch(java, copied, options), jar + " (" + origin(app) + ")");
    }

    /** The same build run with {@code more} after its JVM options (a GC log, settings), which win over them. */
    public DaemonBuild withJvmOptions(List<String> more) {
        List<String> options = new ArrayList<>(launch.jvmOptions());
        options.addAll(more);
        return new DaemonBuild(new Daemon.Launch(launch.java(), launch.jar(), options), source);
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
