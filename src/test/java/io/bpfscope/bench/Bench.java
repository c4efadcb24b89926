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
 *   bench/harness write  [-n WRITES] [COMMON]
 *   bench/harness exec   [-e EXECS] [-X WARM-UP-EXECS] [COMMON]
 *   bench/harness fanout [-m WRITES] [-R RATE] [-f READERS] [COMMON]
 *   bench/harness all    [every option of the three]
 *   bench/harness footprint [-r ROUNDS] [-i IDLE-SECONDS] [-n WRITES] [-c NAME=OPTIONS-FILE,...] [-j JAR]
 *   bench/harness soak [-d SECONDS] [-w SECONDS] [-R RATE] [-N WRITERS] [-C CLIENTS] [-u PATH] [-g MS] [-J 'JVM OPTIONS'] [-j JAR] [-O JVM-OPTIONS]
 *   bench/harness latency [-n ADDS] [-e EXECS] [-g GAP-MS] [-j JAR]
 *   bench/harness exec-cpu [-R RATE] [-w WARM-SECONDS] [-s SECONDS] [-j JAR]
 *   bench/harness limits [-Q CPUS,...] [-M MEMORY] [-d SECONDS] [-R RATE] [-f READERS] [-k RATE] [-s SECONDS] [-j JAR] [-i IMAGE]
 *   bench/harness scrape [-s SERIES] [-n SCRAPES] [-w WARM-UP-SCRAPES] [-L on|off] [-j JAR]
 *   bench/harness page [-R RATE] [-d SECONDS] [-r ROUNDS] [-s SERIES] [-j JAR]
 *   COMMON: [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-b BASE-JAR] [-O JVM-OPTIONS]
 * </pre>
 *
 * Builds the workloads and comparison tools into bench/build, runs each
 * scenario's configurations round by round (rotated), judges the targets,
 * and writes the report to bench/results/DATE-COMMIT.md; progress goes to
 * standard error.
 */
public final class Bench {

    private static final String USAGE = """
            usage: bench/harness write [-n WRITES] [COMMON]
                   bench/harness exec [-e EXECS] [-X WARM-UP-EXECS] [COMMON]
                   bench/harness fanout [-m WRITES] [-R RATE] [-f READERS] [COMMON]
                   bench/harness all [the options of write, exec and fanout]
                   bench/harness footprint [-r ROUNDS] [-i IDLE-SECONDS] [-n WRITES] [-c NAME=OPTIONS-FILE,...] [-j JAR]
                   bench/harness soak [-d SECONDS] [-w SECONDS] [-R RATE] [-N WRITERS] [-C CLIENTS] [-u PATH] [-g MS] [-J 'JVM OPTIONS'] [-j JAR] [-O JVM-OPTIONS]
                   bench/harness latency [-n ADDS] [-e EXECS] [-g GAP-MS] [-j JAR]
                   bench/harness exec-cpu [-R RATE] [-w WARM-SECONDS] [-s SECONDS] [-j JAR]
                   bench/harness limits [-Q CPUS,...] [-M MEMORY] [-d SECONDS] [-R RATE] [-f READERS] [-k RATE] [-s SECONDS] [-j JAR] [-i IMAGE]
                   bench/harness scrape [-s SERIES] [-n SCRAPES] [-w WARM-UP-SCRAPES] [-L on|off] [-j JAR]
                   bench/harness page [-R RATE] [-d SECONDS] [-r ROUNDS] [-s SERIES] [-j JAR]
            COMMON: [-r ROUNDS] [-c CONFIGS] [-q SECONDS] [-a TRIES] [-j JAR] [-b BASE-JAR] [-O JVM-OPTIONS]""";
    private static final String JAR = "target/quarkus-app/quarkus-run.jar";
    private static final List<String> SCENARIOS = List.of("write", "exec", "fanout");
    /** Subcommands with options of their own, run apart from the scenarios. */
    private static final List<String> APART = List.of("footprint", "soak", "latency", "exec-cpu", "limits", "scrape",
            "page");
    private static final Map<String, String> COMMON = Map.of("r", "5", "c", "", "q", "30", "a", "3", "j",
            JAR, "b", "", "O", "scripts/jvm.options");
    private static final Map<String, Map<String, String>> DEFAULTS = Map.of(
            "write", Map.of("n", "10000000"),
            "exec", Map.of("e", "5000", "X", "20000"),
            "fanout", Map.of("m", "500000", "R", "100000", "f", "64"),
            "footprint", Map.of("i", "60", "n", "3000000", "r", "3", "c", "", "j", JAR),
            "soak", Map.of("d", "60", "w", "10", "R", "1000000", "N", "2", "C", "32", "u", "/events?type=exec", "g", "20",
                    "J", "", "j", JAR, "O", "scripts/jvm.options"),
            "latency", Map.of("n", "50", "e", "1000", "g", "10", "j", JAR),
            "exec-cpu", Map.of("R", "500", "w", "30", "s", "20", "j", JAR),
            "limits", Map.of("Q", "2,1,0.5,0.25,0.1", "M", "", "d", "10", "R", "1000000", "f", "64", "k", "100000",
                    "s", "10", "j", JAR, "i", ""),
            "scrape", Map.of("s", "2048", "n", "50", "w", "20", "L", "on", "j", JAR),
            "page", Map.of("R", "100000", "d", "20", "r", "3", "s", "2048", "j", JAR));

    private Bench() {
    }

    /**
     * Exits 0 when the run was made (and, for the soak, its targets met), 1
     * when a soak target failed, 2 on a bad command line, 3 when the run
     * could not be made.
     */
    public static void main(String[] arguments) throws Exception {
        try {
            System.exit(run(arguments));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        } catch (HarnessFailure | AssertionError e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(3);
        }
    }

    static int run(String[] arguments) throws IOException, InterruptedException {
        String command = arguments.length == 0 ? "" : arguments[0];
        List<String> scenarios = command.equals("all") ? SCENARIOS : SCENARIOS.contains(command) ? List.of(command)
                : List.of();
        if (scenarios.isEmpty() && !APART.contains(command)) {
            System.err.println(USAGE);
            return 2;
        }
        Map<String, String> known = new HashMap<>(APART.contains(command) ? Map.of() : COMMON);
        (APART.contains(command) ? List.of(command) : scenarios).forEach(s -> known.putAll(DEFAULTS.get(s)));
        Options options = Options.parse(Arrays.copyOfRange(arguments, 1, arguments.length), known);
        if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
            throw new HarnessFailure("must run as root: loading and attaching BPF programs needs CAP_BPF and CAP_PERFMON");
        }
        Path bench = Path.of("bench").toAbsolutePath();
        if (command.equals("footprint")) {
            return footprint(bench, options, String.join(" ", arguments));
        }
        if (command.equals("soak")) {
            return Soak.run(bench, options, String.join(" ", arguments));
        }
        if (command.equals("latency")) {
            System.out.println(LatencyReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        if (command.equals("exec-cpu")) {
            System.out.println(ExecCpuReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        if (command.equals("scrape")) {
            System.out.println(ScrapeReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        if (command.equals("page")) {
            System.out.println(PageReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        if (command.equals("limits")) {
            System.out.println(LimitsReport.save(bench, options, String.join(" ", arguments)));
            return 0;
        }
        Path jvmOptions = Path.of(options.text("O")).toAbsolutePath();
        DaemonBuild daemon = DaemonBuild.copy(Path.of(options.text("j")), bench.resolve("build/quarkus-app"), jvmOptions);
        DaemonBuild base = options.text("b").isEmpty() ? null
                : DaemonBuild.copy(Path.of(options.text("b")), bench.resolve("build/quarkus-app-base"), jvmOptions);
        Map<String, List<Configuration>> chosen = choose(scenarios, options, daemon, base);
        chosen.values().forEach(list -> list.forEach(c -> c.needs().forEach(Bench::need)));
        Path build = new Build(bench).run();
        Path dir = Files.createTempDirectory("bpfscope-bench");
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        StringBuilder body = new StringBuilder();
        List<String> targets = new ArrayList<>();
        for (Map.Entry<String, List<Configuration>> scenario : chosen.entrySet()) {
            Section section = switch (scenario.getKey()) {
                case "write" -> write(build, dir, options, scenario.getValue());
                case "exec" -> exec(build, dir, options, scenario.getValue());
                default -> fanout(build, dir, options, scenario.getValue());
            };
            body.append(section.text());
            targets.addAll(section.targets());
        }
        String report = Report.header(command.equals("all") ? "all scenarios" : command + " scenario", started,
                String.join(" ", arguments))
                + "- daemon: " + daemon.source() + ", run as `java " + String.join(" ", daemon.launch().jvmOptions())
                + " -jar …`\n" + (base == null ? "" : "- base daemon (`*_base`): " + base.source() + "\n")
                + Report.targets(targets) + body;
        System.out.println(Report.save(bench.resolve("results"), report));
        return 0;
    }

    private static Section write(Path build, Path dir, Options options, List<Configuration> configurations)
            throws InterruptedException {
        long writes = options.positive("n");
        Run run = run(build, dir, writes, Duration.ofSeconds(60 + writes / 50_000));
        warmUp(run);
        List<Measurement> measured = scenario("ns/write", run, options, null)
                .measure(configurations, () -> WriteWorkload.prepare(run));
        return new Section("\n## write\n\n" + writes + " write(2) calls of 1 byte to /dev/null per run.\n\n"
                + WriteTable.render(configurations, measured) + "\n" + Report.runs(measured),
                Targets.write(measured, writes));
    }

    private static Section exec(Path build, Path dir, Options options, List<Configuration> configurations)
            throws InterruptedException {
        long execs = options.positive("e");
        Run run = run(build, dir, execs, Duration.ofSeconds(60 + execs / 200));
        List<Measurement> measured = scenario("ns/exec", run, options, null)
                .measure(configurations, () -> new ExecWorkload(run));
        return new Section("\n## exec\n\nTwo loops at once of " + execs + " vfork+execve(/bin/true)+waitpid each per"
                + " run; each daemon streamed " + options.count("X") + " execs of a throw-away loop first.\n\n"
                + ExecTable.render(configurations, measured) + "\n" + Report.runs(measured),
                Targets.exec(measured, execs));
    }

    private static Section fanout(Path build, Path dir, Options options, List<Configuration> configurations)
            throws InterruptedException {
        long writes = options.positive("m");
        long rate = options.positive("R");
        // Twice the paced writer's nominal time, plus two minutes.
        Run run = run(build, dir, writes, Duration.ofSeconds(120 + 2 * writes / rate));
        List<Measurement> measured = scenario("events to the slowest reader", run, options, FanoutConfiguration.FIGURE)
                .measure(configurations, () -> WriteWorkload.paced(run, rate));
        return new Section("\n## fanout\n\n" + writes + " writes paced at " + rate + "/s per run, every one an event"
                + " for " + options.positive("f") + " reading clients (and one that stops reading); figure: the fewest"
                + " events a reading client received, of " + (writes + 1) + ".\n\n"
                + FanoutTable.render(measured, writes + 1) + "\n" + Report.runs(measured),
                Targets.fanout(measured, writes, (int) options.positive("f")));
    }

    private static Run run(Path build, Path dir, long operations, Duration bound) {
        return new Run(build, dir, operations, Duration.ofSeconds(30), bound,
                "bpfscope-bench-" + ProcessHandle.current().pid());
    }

    private static Scenario scenario(String unit, Run run, Options options, String figure) {
        return new Scenario(unit, run, (int) options.positive("r"), (int) options.positive("a"),
                Duration.ofSeconds(options.count("q")), figure);
    }

    /** Each configuration's copy of the daemon, its cache trained with its options; then the rounds. */
    private static int footprint(Path bench, Options options, String command) throws IOException, InterruptedException {
        Map<String, DaemonBuild> configurations = new LinkedHashMap<>();
        Path jar = Path.of(options.text("j"));
        configurations.put(Footprint.SHIPPED, DaemonBuild.copy(jar, bench.resolve("build/quarkus-app"),
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
        Section section = new Footprint(run, Duration.ofSeconds(options.positive("i")))
                .measure(configurations, (int) options.positive("r"));
        String report = Report.header("footprint", started, command) + Report.targets(section.targets())
                + "\n## footprint\n\nIdle CPU over " + options.positive("i") + " s; peak while 4 clients follow a"
                + " write_loop of " + options.positive("n") + " writes.\n\n" + section.text();
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

    /**
     * Each scenario's configurations: every usual one when -c names none;
     * else those named and the scenario's baselines, and a scenario none of
     * whose own configurations is named does not run.
     */
    static Map<String, List<Configuration>> choose(List<String> scenarios, Options options, DaemonBuild daemon,
            DaemonBuild base) {
        List<String> named = options.text("c").isEmpty() ? List.of() : Arrays.asList(options.text("c").split(","));
        Map<String, Catalogue> catalogues = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            catalogues.put(scenario, switch (scenario) {
                case "write" -> writeCatalogue(daemon, base);
                case "exec" -> execCatalogue(daemon, base, options.count("X"));
                default -> fanoutCatalogue(daemon, (int) options.positive("f"));
            });
        }
        for (String name : named) {
            if (catalogues.values().stream().noneMatch(c -> c.knows(name))) {
                throw new IllegalArgumentException("unknown configuration '" + name + "' (known: " + String.join(" ",
                        catalogues.values().stream().flatMap(c -> c.names().stream()).toList()) + ")");
            }
        }
        Map<String, List<Configuration>> chosen = new LinkedHashMap<>();
        catalogues.forEach((scenario, catalogue) -> {
            List<Configuration> picked = catalogue.pick(named);
            if (!picked.isEmpty()) {
                chosen.put(scenario, picked);
            }
        });
        return chosen;
    }

    static Catalogue writeCatalogue(DaemonBuild daemon, DaemonBuild base) {
        List<Configuration> usual = List.of(WriteConfigurations.NOTHING, WriteConfigurations.EMPTY,
                WriteConfigurations.BPFTRACE, WriteConfigurations.REF, WriteConfigurations.REF_DEFAULT,
                new KernelObjectsConfiguration("bpfscope_kernel", daemon),
                new BpfscopeConfiguration("bpfscope", "bpfscope daemon, PID filter empty: every write counted, none"
                        + " streamed (P1)", daemon, BpfscopeConfiguration.State.COUNTING),
                new BpfscopeConfiguration("bpfscope_other", "bpfscope daemon, PID filter = the harness's own PID, not"
                        + " the writer (P3)", daemon, BpfscopeConfiguration.State.OTHER_PID),
                new BpfscopeConfiguration("bpfscope_stream", "bpfscope daemon, writer's PID in the filter, no /events"
                        + " client (P2)", daemon, BpfscopeConfiguration.State.STREAMING),
                new BpfscopeConfiguration("bpfscope_stream_sse", "bpfscope daemon, writer's PID in the filter, one"
                        + " `curl -sN /events?type=write&pid=N | grep -c` client (P2)", daemon,
                        BpfscopeConfiguration.State.STREAMING_TO_CLIENT));
        List<Configuration> extras = new ArrayList<>(WriteConfigurations.PARTS);
        extras.add(new BpfscopeConfiguration("bpfscope_latency", "bpfscope daemon as `bpfscope`, with"
                + " bpfscope.write.latency.enabled: every write timed at sys_exit_write too", daemon,
                BpfscopeConfiguration.State.COUNTING, List.of("-Dbpfscope.write.latency.enabled=true")));
        if (base != null) {
            extras.add(new BpfscopeConfiguration("bpfscope_base", "the -b build of the daemon, as `bpfscope`", base,
                    BpfscopeConfiguration.State.COUNTING));
            extras.add(new BpfscopeConfiguration("bpfscope_other_base", "the -b build of the daemon, as"
                    + " `bpfscope_other`", base, BpfscopeConfiguration.State.OTHER_PID));
            extras.add(new KernelObjectsConfiguration("bpfscope_kernel_base", base));
        }
        return new Catalogue(usual, extras, List.of(WriteTable.BASELINE, WriteTable.FLOOR));
    }

    static Catalogue execCatalogue(DaemonBuild daemon, DaemonBuild base, long warmUpExecs) {
        List<Configuration> usual = new ArrayList<>(List.of(new Nothing(ExecTable.BASELINE),
                new ExecsnoopConfiguration(), new ExecBpfscopeConfiguration("exec_bpfscope", "bpfscope daemon, one"
                        + " `curl -sN /events?type=exec` client writing to a file (P4)", daemon, warmUpExecs)));
        if (base != null) {
            usual.add(new ExecBpfscopeConfiguration("exec_bpfscope_base", "the -b build of the daemon, as"
                    + " `exec_bpfscope`", base, warmUpExecs));
        }
        return new Catalogue(usual, List.of(), List.of(ExecTable.BASELINE));
    }

    static Catalogue fanoutCatalogue(DaemonBuild daemon, int readers) {
        return new Catalogue(List.of(new FanoutConfiguration(daemon, readers, false),
                new FanoutConfiguration(daemon, readers, true)), List.of(), List.of());
    }
}
