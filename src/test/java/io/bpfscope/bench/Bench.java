package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness, run by bench/harness as root:
 *
 * <pre>
 *   bench/harness write [-n WRITES] [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-O JVM-OPTIONS]
 *   bench/harness exec  [-e EXECS] [-X WARM-UP-EXECS] [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-O ...]
 *   bench/harness fanout [-m WRITES] [-R RATE] [-f READERS] [-r ROUNDS] [-q SECONDS] [-a TRIES] [-j JAR] [-O ...]
 *   bench/harness footprint [-r ROUNDS] [-i IDLE-SECONDS] [-n WRITES] [-c NAME=OPTIONS-FILE,...] [-j JAR]
 *   bench/harness latency [-n ADDS] [-e EXECS] [-g GAP-MS] [-j JAR]
 *   bench/harness exec-cpu [-R RATE] [-w WARM-SECONDS] [-s SECONDS] [-j JAR]
 * </pre>
 *
 * Builds the workloads and comparison tools into bench/build, runs the
 * scenario's configurations round by round (rotated), and writes the report
 * to bench/results/DATE-COMMIT.md; progress goes to standard error.
 */
public final class Bench {

    private static final String USAGE = """
            usage: bench/harness write [-n WRITES] [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-O JVM-OPTIONS]
                   bench/harness exec [-e EXECS] [-X WARM-UP-EXECS] [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-O JVM-OPTIONS]
                   bench/harness fanout [-m WRITES] [-R RATE] [-f READERS] [-r ROUNDS] [-q SECONDS] [-a TRIES] [-j JAR] [-O JVM-OPTIONS]
                   bench/harness footprint [-r ROUNDS] [-i IDLE-SECONDS] [-n WRITES] [-c NAME=OPTIONS-FILE,...] [-j JAR]
                   bench/harness latency [-n ADDS] [-e EXECS] [-g GAP-MS] [-j JAR]
                   bench/harness exec-cpu [-R RATE] [-w WARM-SECONDS] [-s SECONDS] [-j JAR]""";
    private static final Map<String, String> COMMON = Map.of("r", "5", "c", "", "q", "30", "a", "3", "j",
            "target/quarkus-app/quarkus-run.jar", "O", "scripts/jvm.options");

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
        String scenario = arguments.length == 0 ? "" : arguments[0];
        Map<String, String> known = new HashMap<>(COMMON);
        switch (scenario) {
            case "write" -> known.put("n", "10000000");
            case "exec" -> {
                known.put("e", "5000");
                known.put("X", "20000");
            }
            case "fanout" -> {
                known.put("m", "500000");
                known.put("R", "100000");
                known.put("f", "64");
            }
            case "footprint" -> {
                known.put("i", "60");
                known.put("n", "3000000");
                known.put("r", "3");
            }
            case "latency" -> known.putAll(Map.of("n", "50", "e", "1000", "g", "10"));
            case "exec-cpu" -> known.putAll(Map.of("R", "500", "w", "30", "s", "20"));
            default -> {
                System.err.println(USAGE);
                return 2;
            }
        }
        Options options = Options.parse(Arrays.copyOfRange(arguments, 1, arguments.length), known);
        if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
            throw new HarnessFailure("must run as root: loading and attaching BPF programs needs CAP_BPF and CAP_PERFMON");
        }
        Path bench = Path.of("bench").toAbsolutePath();
        if (scenario.equals("footprint")) {
            return footprint(bench, options, String.join(" ", arguments));
        }
        if (scenario.equals("latency")) {
            System.out.println(LatencyReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        if (scenario.equals("exec-cpu")) {
            System.out.println(ExecCpuReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        DaemonBuild daemon = DaemonBuild.copy(Path.of(options.text("j")), bench.resolve("build/quarkus-app"),
                Path.of(options.text("O")).toAbsolutePath());
        boolean writes = scenario.equals("write");
        List<Configuration> configurations = switch (scenario) {
            case "write" -> pickWrite(options.text("c"), daemon);
            case "exec" -> pickExec(options.text("c"), daemon, options.count("X"));
            default -> List.of(new FanoutConfiguration(daemon, (int) options.positive("f")));
        };
        for (Configuration configuration : configurations) {
            configuration.needs().forEach(Bench::need);
        }
        Path build = new Build(bench).run();
        long operations = options.positive(switch (scenario) {
            case "write" -> "n";
            case "exec" -> "e";
            default -> "m";
        });
        Duration bound = switch (scenario) {
            case "write" -> Duration.ofSeconds(60 + operations / 50_000);
            case "exec" -> Duration.ofSeconds(60 + operations / 200);
            // Twice the paced writer's nominal time, plus two minutes.
            default -> Duration.ofSeconds(120 + 2 * operations / options.positive("R"));
        };
        Run run = new Run(build, Files.createTempDirectory("bpfscope-bench"), operations, Duration.ofSeconds(30), bound,
                "bpfscope-bench-" + ProcessHandle.current().pid());
        int rounds = (int) options.positive("r");
        int tries = (int) options.positive("a");
        Duration quiesce = Duration.ofSeconds(options.count("q"));
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String body;
        if (writes) {
            warmUp(run);
            List<Measurement> measured = new Scenario("ns/write", run, rounds, tries, quiesce)
                    .measure(configurations, () -> WriteWorkload.prepare(run));
            body = "\n## write\n\n" + operations + " write(2) calls of 1 byte to /dev/null per run.\n\n"
                    + WriteTable.render(configurations, measured) + "\n" + Report.runs(measured);
        } else if (scenario.equals("exec")) {
            List<Measurement> measured = new Scenario("ns/exec", run, rounds, tries, quiesce)
                    .measure(configurations, () -> new ExecWorkload(run));
            body = "\n## exec\n\nTwo loops at once of " + operations + " vfork+execve(/bin/true)+waitpid each per run;"
                    + " each daemon streamed " + options.count("X") + " execs of a throw-away loop first.\n\n"
                    + ExecTable.render(configurations, measured) + "\n" + Report.runs(measured);
        } else {
            long rate = options.positive("R");
            List<Measurement> measured = new Scenario("events to the slowest reader", run, rounds, tries, quiesce,
                    FanoutConfiguration.FIGURE).measure(configurations, () -> WriteWorkload.paced(run, rate));
            body = "\n## fanout\n\n" + operations + " writes paced at " + rate + "/s per run, every one an event for "
                    + options.positive("f") + " reading clients (and one that stops reading); figure: the fewest events"
                    + " a reading client received, of " + (operations + 1) + ".\n\n"
                    + FanoutTable.render(measured, operations + 1) + "\n" + Report.runs(measured);
        }
        String report = Report.header(scenario + " scenario", started, String.join(" ", arguments))
                + "- daemon: " + daemon.source() + ", run as `java " + String.join(" ", daemon.launch().jvmOptions())
                + " -jar …`\n" + body;
        System.out.println(Report.save(bench.resolve("results"), report));
        return 0;
    }

    /** Each configuration's copy of the daemon, its cache trained with its options; then the rounds. */
    private static int footprint(Path bench, Options options, String command) throws IOException, InterruptedException {
        Map<String, DaemonBuild> configurations = new LinkedHashMap<>();
        Path jar = Path.of(options.text("j"));
        configurations.put("shipped", DaemonBuild.copy(jar, bench.resolve("build/quarkus-app"),
                Path.of("scripts/jvm.options").toAbsolutePath()));
        for (String named : options.text("c").isEmpty() ? new String[0] : options.text("c").split(",")) {
            String[] nameAndFile = named.split("=", 2);
            if (nameAndFile.length != 2 || !Files.isRegularFile(Path.of(nameAndFile[1]))) {
                throw new IllegalArgumentException("-c wants NAME=FILE, FILE a file of JVM options, not '" + named + "'");
            }
            configurations.put(nameAndFile[0], DaemonBuild.copy(jar, bench.resolve("build/quarkus-app-" + nameAndFile[0]),
                    Path.of(nameAndFile[1]).toAbsolutePath()));
        }
        Path build = new Build(bench).run();
        Run run = new Run(build, Files.createTempDirectory("bpfscope-bench"), options.positive("n"),
                Duration.ofSeconds(30), Duration.ofSeconds(300), "bpfscope-bench-" + ProcessHandle.current().pid());
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String section = new Footprint(run, Duration.ofSeconds(options.positive("i")))
                .measure(configurations, (int) options.positive("r"));
        String report = Report.header("footprint", started, command) + "\n## footprint\n\nIdle CPU over "
                + options.positive("i") + " s; peak while 4 clients follow a write_loop of " + options.positive("n")
                + " writes.\n\n" + section;
        System.out.println(Report.save(bench.resolve("results"), report));
        return 0;
    }

    /** Not recorded: page cache, CPU frequency and first-touch costs settle. */
    private static void warmUp(Run run) throws InterruptedException {
        try (WriteLoop warmUp = WriteLoop.prepare(run.build(), run.dir(), run.operations() / 10 + 1, "bench-warmup",
                run.bound())) {
            warmUp.go();
            warmUp.await(run.bound());
        }
    }

    private static void need(String command, String debianPackage) {
        try {
            Executables.resolved(List.of(command));
        } catch (HarnessFailure missing) {
            throw new HarnessFailure("'" + command + "' not found: apt-get install -y " + debianPackage);
        }
    }

    /** nothing and empty always, then those named (or every one that is not only run when named). */
    static List<Configuration> pickWrite(String named, DaemonBuild daemon) {
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
        return pick(named, all, WriteConfigurations.PARTS, List.of(WriteTable.BASELINE, WriteTable.FLOOR));
    }

    static List<Configuration> pickExec(String named, DaemonBuild daemon, long warmUpExecs) {
        List<Configuration> all = List.of(new Nothing(ExecTable.BASELINE), new ExecsnoopConfiguration(),
                new ExecBpfscopeConfiguration(daemon, warmUpExecs));
        return pick(named, all, List.of(), List.of(ExecTable.BASELINE));
    }

    /** {@code always} and those named, in the catalogue's order; every one but the extras when none is named. */
    private static List<Configuration> pick(String named, List<Configuration> usual, List<Configuration> extras,
            List<String> always) {
        if (named.isEmpty()) {
            return usual;
        }
        List<Configuration> all = new ArrayList<>(usual);
        all.addAll(extras);
        List<String> wanted = new ArrayList<>(always);
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
