package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness, run by bench/harness as root:
 *
 * <pre>
 *   bench/harness write [-n WRITES] [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-O JVM-OPTIONS]
 * </pre>
 *
 * Builds the workloads and comparison tools into bench/build, runs the
 * scenario's configurations round by round (rotated), and writes the report
 * to bench/results/DATE-COMMIT.md; progress goes to standard error.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] arguments) throws Exception {
        try {
            System.exit(run(arguments));
        } catch (HarnessFailure | IllegalArgumentException | AssertionError e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] arguments) throws IOException, InterruptedException {
        if (arguments.length == 0 || !arguments[0].equals("write")) {
            System.err.println("usage: bench/harness write [-n WRITES] [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES]"
                    + " [-j JAR] [-O JVM-OPTIONS]");
            return 2;
        }
        Options options = Options.parse(Arrays.copyOfRange(arguments, 1, arguments.length),
                Map.of("n", "10000000", "r", "5", "c", "", "q", "30", "a", "3", "j",
                        "target/quarkus-app/quarkus-run.jar", "O", "scripts/jvm.options"));
        if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
            throw new HarnessFailure("must run as root: loading and attaching BPF programs needs CAP_BPF and CAP_PERFMON");
        }
        Path bench = Path.of("bench").toAbsolutePath();
        DaemonBuild daemon = DaemonBuild.copy(Path.of(options.text("j")), bench.resolve("build/quarkus-app"),
                Path.of(options.text("O")).toAbsolutePath());
        List<Configuration> configurations = pick(options.text("c"), daemon);
        for (Configuration configuration : configurations) {
            configuration.needs().forEach(Bench::need);
        }
        Path build = new Build(bench).run();
        Path dir = Files.createTempDirectory("bpfscope-bench");
        long writes = options.positive("n");
        Run run = new Run(build, dir, writes, Duration.ofSeconds(30), Duration.ofSeconds(60 + writes / 50_000));
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        List<Measurement> measurements = new WriteScenario(run, configurations, (int) options.positive("r"),
                (int) options.positive("a"), Duration.ofSeconds(options.count("q"))).measure();
        String report = Report.header("write scenario (P1-P3)", started, String.join(" ", arguments))
                + "- daemon: " + daemon.source() + ", run as `java " + String.join(" ", daemon.launch().jvmOptions())
                + " -jar …`\n" + "\n## write\n\n" + writes + " write(2) calls of 1 byte to /dev/null per run.\n\n"
                + WriteTable.render(configurations, measurements) + "\n" + Report.runs(measurements);
        Path file = Report.save(bench.resolve("results"), report);
        System.out.println(file);
        return 0;
    }

    private static void need(String command, String debianPackage) {
        boolean found = java.util.stream.Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
        if (!found) {
            throw new HarnessFailure("'" + command + "' not found: apt-get install -y " + debianPackage);
        }
    }

    /** nothing and empty always, then those named (or every one that is not only run when named). */
    static List<Configuration> pick(String named, DaemonBuild daemon) {
        List<Configuration> all = new ArrayList<>(List.of(WriteConfigurations.NOTHING, WriteConfigurations.EMPTY,
                WriteConfigurations.BPFTRACE, WriteConfigurations.REF, WriteConfigurations.REF_DEFAULT,
                new KernelObjectsConfiguration(daemon),
                new BpfscopeConfiguration("bpfscope", "bpfscope daemon, PID filter empty: every write counted, none"
                        + " streamed (P1)", daemon, BpfscopeConfiguration.State.COUNTING),
                new BpfscopeConfiguration("bpfscope_other", "bpfscope daemon, PID filter = the harness's own PID, not"
                        + " the writer (P3)", daemon, BpfscopeConfiguration.State.OTHER_PID),
                new BpfscopeConfiguration("bpfscope_stream", "bpfscope daemon, writer's PID in the filter, no /events"
                        + " client (P2)", daemon, BpfscopeConfiguration.State.STREAMING),
                new BpfscopeConfiguration("bpfscope_stream_sse", "bpfscope daemon, writer's PID in the filter, one"
                        + " `curl -sN /events?type=write&pid=N | grep -c` client (P2)", daemon,
                        BpfscopeConfiguration.State.STREAMING_TO_CLIENT)));
        if (named.isEmpty()) {
            return all;
        }
        all.addAll(WriteConfigurations.PARTS);
        List<String> wanted = new ArrayList<>(List.of(WriteTable.BASELINE, WriteTable.FLOOR));
        wanted.addAll(Arrays.asList(named.split(",")));
        for (String name : wanted) {
            if (all.stream().noneMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("unknown configuration '" + name + "' (known: "
                        + String.join(" ", all.stream().map(Configuration::name).toList()) + ")");
            }
        }
        return all.stream().filter(c -> wanted.contains(c.name())).toList();
    }
}
