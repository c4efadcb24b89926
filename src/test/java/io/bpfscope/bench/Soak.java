package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The daemon under sustained load, once: {@code -C} SSE clients on
 * {@code -u} (one sse_count), {@code -N} paced write_loops in the PID filter
 * released together for {@code -R} writes/s in all during {@code -d} s,
 * and a marked exec every {@code -g} ms, while the daemon is sampled every
 * second. Its report judges the targets (see bench/SOAK.md); the exit status
 * is 0 when all pass, 1 when one fails, 3 when the run could not be made.
 */
final class Soak {

    /** Samples before the release, so the table starts from the daemon at rest. */
    private static final Duration LEAD_IN = Duration.ofSeconds(3);
    private static final Duration DRAIN = Duration.ofSeconds(10);
    private static final Pattern READY = Pattern.compile("^ready$");
    private static final String CLIENTS = "clients";

    private final SoakSettings settings;
    private final Run run;

    private Soak(SoakSettings settings, Run run) {
        this.settings = settings;
        this.run = run;
    }

    static int run(Path bench, Options options, String command) throws InterruptedException {
        SoakSettings settings = SoakSettings.of(options);
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        try {
            Path dir = Files.createTempDirectory("bpfscope-soak");
            DaemonBuild build = DaemonBuild.copy(settings.jar(), bench.resolve("build/quarkus-app"),
                    settings.jvmOptionsFile()).withJvmOptions(jvmOptions(settings, dir));
            // Three times the nominal load, plus a minute, before a writer counts as stuck.
            Run run = new Run(new Build(bench).run(), dir, settings.writesPerWriter(), Duration.ofSeconds(30),
                    Duration.ofSeconds(3 * settings.seconds() + 60), "soak-" + hex(6));
            SoakRun soaked = new Soak(settings, run).soak(build);
            SoakReport report = SoakReport.of(soaked);
            Path file = Report.save(bench.resolve("results"), Report.header("soak", started, command) + report.text());
            Path samples = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.md$", "-samples.tsv"));
            Files.write(samples, Stream.concat(Stream.of(SoakSample.TSV_HEADER),
                    soaked.samples().stream().map(SoakSample::tsvRow)).toList());
            Log.say("%s; the run's other files (GC log, clients' and writers' output) in %s", report.passed()
                    ? "every target passed" : "a target FAILED", dir);
            System.out.println(file);
            return report.passed() ? 0 : 1;
        } catch (HarnessFailure | AssertionError | IOException | UncheckedIOException e) {
            System.err.println("bench: the soak could not be made: " + e.getMessage());
            return 3;
        }
    }

    /**
     * The GC log the report reads, room for every comm the machine's other
     * work makes up meanwhile (past max-series they count as "_other", and the
     * writers' must count apart), then -J's, which win.
     */
    private static List<String> jvmOptions(SoakSettings settings, Path dir) {
        List<String> options = new ArrayList<>(List.of("-Xlog:gc=info,gc+heap=debug:file=" + dir.resolve("gc.log")
                + ":timemillis,tags", "-Dbpfscope.write.max-series=8192"));
        options.addAll(settings.moreJvmOptions());
        return options;
    }

    private SoakRun soak(DaemonBuild build) throws IOException, InterruptedException {
        double loadBefore = loadAverage();
        try (DaemonUnderTest daemon = DaemonUnderTest.start(run, build, "soak");
             Tool clients = startClients(daemon)) {
            long pid = daemon.process().pid();
            String comm = "soakw" + hex(3);
            List<WriteLoop> writers = new ArrayList<>();
            try {
                for (int k = 0; k < settings.writers(); k++) {
                    // A tool's files are named by its tag, the writers' shared comm: each gets a directory.
                    Path own = Files.createDirectories(run.dir().resolve("writer" + k));
                    WriteLoop writer = WriteLoop.paced(run.build(), own, settings.writesPerWriter(),
                            settings.writesPerSecondPerWriter(), comm, run.bound().plus(Duration.ofMinutes(2)));
                    writers.add(writer);
                    daemon.trace(writer.pid());
                }
                Log.say("daemon pid %d on 127.0.0.1:%d; %d writers (%s) in its filter, %d clients on %s; a full GC"
                        + " before the load", pid, daemon.port(), settings.writers(), comm, settings.clients(),
                        settings.path());
                fullGc(pid);
                long go = System.nanoTime() + LEAD_IN.toNanos();
                Exposition before = Exposition.of(daemon);
                try (SoakSampler sampler = SoakSampler.start(daemon, comm, go)) {
                    Load load = load(writers, pid, go);
                    Log.say("writers done after %.1f s; waiting for the daemon to read the rest", load.seconds());
                    Exposition after = exportSettled(daemon, drained(daemon, before));
                    // The last execs' messages on their way to the clients.
                    Thread.sleep(1000);
                    List<SoakSample> samples = sampler.stop();
                    // SIGTERM makes sse_count report at once; on SIGUSR1 it would wait for its clients to go quiet,
                    // and exec clients never do while the machine runs anything.
                    clients.stopCleanly("TERM", Duration.ofSeconds(30));
                    fullGc(pid);
                    int status = daemon.terminate();
                    Log.say("daemon exited with status %d", status);
                    return new SoakRun(settings, build.source() + ", run as `java " + String.join(" ",
                            build.launch().jvmOptions()) + " -jar …`", comm, run.marker(), run.dir(), loadBefore,
                            loadAverage(), load.machine(), load.seconds(), load.goWallMs(), load.writers(), before,
                            after, samples, load.threadsBefore(), load.threadsAfter(), load.execs(),
                            deliveries(), GcLog.pauses(Files.readString(run.dir().resolve("gc.log"))), status,
                            clientSummary());
                }
            } finally {
                writers.forEach(WriteLoop::close);
            }
        }
    }

    /** From the release of the writers to their end, with a marked exec every -g ms meanwhile. */
    private record Load(double goWallMs, double seconds, String machine, ThreadTimes threadsBefore,
            ThreadTimes threadsAfter, List<Map<String, Double>> writers, SoakExecs.Execs execs) {
    }

    private Load load(List<WriteLoop> writers, long pid, long go) throws InterruptedException {
        try (SoakExecs execs = new SoakExecs(run.marker())) {
            Thread.sleep(Duration.ofNanos(Math.max(0, go - System.nanoTime())));
            double goWallMs = ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now()) / 1e6;
            ThreadTimes threadsBefore = ThreadTimes.of(pid);
            MachineCpu machineBefore = MachineCpu.now();
            writers.forEach(WriteLoop::go);
            execs.start(Duration.ofNanos(Math.round(settings.execGapMs() * 1e6)));
            Log.say("released: %d writes/s for %d s, an exec every %s ms", settings.rate(), settings.seconds(),
                    Samples.number(settings.execGapMs()));
            long end = go + run.bound().toNanos();
            List<Map<String, Double>> figures = new ArrayList<>();
            for (WriteLoop writer : writers) {
                figures.add(writer.await(Duration.ofNanos(Math.max(1_000_000_000L, end - System.nanoTime()))));
            }
            double seconds = (System.nanoTime() - go) / 1e9;
            MachineCpu machineAfter = MachineCpu.now();
            ThreadTimes threadsAfter = ThreadTimes.of(pid);
            return new Load(goWallMs, seconds, machineBefore.usageUntil(machineAfter), threadsBefore, threadsAfter,
                    figures, execs.stop());
        }
    }

    /** Once every traced write is streamed or counted lost in the kernel ({@link #DRAIN} at most; the report says what is missing). */
    private Exposition drained(DaemonUnderTest daemon, Exposition before) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        Exposition now = Exposition.of(daemon);
        while (now.growth(before, SoakSeries.STREAMED) + now.growth(before, SoakSeries.LOST_IN_KERNEL) < settings.traced()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = Exposition.of(daemon);
        }
        return now;
    }

    /** With the export on (-J -Dbpfscope.export.*), until it has written or dropped what was read (30 s at most). */
    private static Exposition exportSettled(DaemonUnderTest daemon, Exposition read) throws InterruptedException {
        Exposition settled = read;
        for (int i = 0; i < 60; i++) {
            Thread.sleep(500);
            Exposition now = Exposition.of(daemon);
            if (exportedOrLost(now) == exportedOrLost(settled)) {
                return now;
            }
            settled = now;
        }
        return settled;
    }

    private static double exportedOrLost(Exposition metrics) {
        return metrics.value(SoakSeries.EXPORTED) + metrics.value(SoakSeries.LOST_AT_EXPORT);
    }

    /** A full collection: the GC log then has the live heap. */
    private static void fullGc(long pid) {
        Commands.run(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                "GC.run"));
    }

    /** sse_count's stamps, read as a stream: a long soak's run into hundreds of MB. */
    private Deliveries deliveries() throws IOException {
        try (Stream<String> lines = Files.lines(clientsOutput())) {
            return Deliveries.read(lines, run.marker());
        }
    }

    private String clientSummary() throws IOException {
        try (Stream<String> lines = Files.lines(clientsOutput())) {
            return lines.filter(line -> line.startsWith("summary ")).reduce((first, last) -> last).orElse("(none)");
        }
    }

    /** Where {@link Tool} puts the clients' standard output. */
    private Path clientsOutput() {
        return run.dir().resolve(CLIENTS + ".out");
    }

    private Tool startClients(DaemonUnderTest daemon) throws InterruptedException {
        long deadline = 3 * settings.seconds() + 300;
        Tool clients = Tool.start(run.dir(), CLIENTS, Duration.ofSeconds(deadline + 60), List.of(
                run.build().resolve("sse_count").toString(), "-p", Integer.toString(daemon.port()), "-u", settings.path(),
                "-n", Integer.toString(settings.clients()), "-m", run.marker(), "-T", Long.toString(deadline)));
        try {
            clients.awaitLine(READY, run.ready());
            daemon.awaitClients(settings.clients());
            return clients;
        } catch (RuntimeException | InterruptedException e) {
            clients.close();
            throw e;
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
