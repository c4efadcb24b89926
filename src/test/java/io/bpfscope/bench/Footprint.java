package io.bpfscope.bench;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What the daemon costs a node beside its work: the packaged daemon once
 * per round under every configuration (a file of JVM options; "shipped" is
 * scripts/jvm.options), the order rotated round by round, measuring each
 * time its start (spawn to the port accepting), idle RSS (5 s after ready),
 * idle CPU over {@code idle}, and peak RSS while four /events clients follow
 * a traced write_loop of {@code writes} writes, every one of which must be
 * counted.
 */
final class Footprint {

    static final String SHIPPED = "shipped";
    private static final int CLIENTS = 4;

    /** One daemon's figures. */
    record Figures(double startMs, double idleRssMib, double idleCpuPercent, double peakRssMib, boolean exact,
            double lost, String clients) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "start %.0f ms, idle RSS %.0f MiB, idle CPU %.2f%%, peak RSS %.0f MiB,"
                    + " every write counted: %s, events lost %.0f", startMs, idleRssMib, idleCpuPercent, peakRssMib,
                    exact ? "yes" : "NO", lost);
        }
    }

    private final Run run;
    private final Duration idle;

    Footprint(Run run, Duration idle) {
        this.run = run;
        this.idle = idle;
    }

    /** Rounds of every configuration, rotated; the report's section, and the targets judged on "shipped". */
    Section measure(Map<String, DaemonBuild> configurations, int rounds) throws InterruptedException {
        Map<String, List<Figures>> results = new LinkedHashMap<>();
        configurations.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (String name : Rotation.of(List.copyOf(configurations.keySet()), round)) {
                Figures figures = once(configurations.get(name));
                Log.say("round %d/%d  %s  %s", round, rounds, name, figures);
                results.get(name).add(figures);
            }
        }
        StringBuilder table = new StringBuilder("| configuration | start ms | idle RSS MiB | idle CPU % of a core"
                + " | peak RSS MiB | writes counted exactly | events lost |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        results.forEach((name, runs) -> table.append("| ").append(name)
                .append(" | ").append(range(runs.stream().map(Figures::startMs).toList(), "%.0f"))
                .append(" | ").append(range(runs.stream().map(Figures::idleRssMib).toList(), "%.0f"))
                .append(" | ").append(range(runs.stream().map(Figures::idleCpuPercent).toList(), "%.2f"))
                .append(" | ").append(range(runs.stream().map(Figures::peakRssMib).toList(), "%.0f"))
                .append(" | ").append(runs.stream().allMatch(Figures::exact) ? "yes" : "NO")
                .append(" | ").append(range(runs.stream().map(Figures::lost).toList(), "%.0f")).append(" |\n"));
        table.append("\nConfigurations:\n\n");
        configurations.forEach((name, build) -> table.append("- `").append(name).append("`: `java ")
                .append(String.join(" ", build.launch().jvmOptions())).append(" -jar …`\n"));
        table.append("\nClients, last run of each:\n\n");
        results.forEach((name, runs) -> table.append("- `").append(name).append("`: ").append(runs.getLast().clients())
                .append("\n"));
        return new Section(table.toString(), Targets.footprint(results.get(SHIPPED)));
    }

    private Figures once(DaemonBuild build) throws InterruptedException {
        Path state = run.dir().resolve("footprint-state-" + System.nanoTime());
        long spawned = System.nanoTime();
        try (Daemon daemon = Daemon.start(build.launch(), List.of(), state)) {
            awaitPort(daemon);
            double startMs = (System.nanoTime() - spawned) / 1e6;
            awaitReady(daemon);
            Thread.sleep(5000);
            long pid = daemon.process().pid();
            double idleRss = Rss.kib(pid) / 1024.0;
            long cpu = MachineCpu.processMillis(pid);
            Thread.sleep(idle.toMillis());
            double idleCpu = 100.0 * (MachineCpu.processMillis(pid) - cpu) / idle.toMillis();
            Figures peak = peak(daemon, pid);
            return new Figures(startMs, idleRss, idleCpu, peak.peakRssMib(), peak.exact(), peak.lost(), peak.clients());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Peak RSS while four clients follow a traced writer, whether every write was counted, and what was lost. */
    private Figures peak(Daemon daemon, long pid) throws InterruptedException {
        String comm = "fpw" + Long.toHexString(System.nanoTime() & 0xffffff);
        try (Tool clients = Tool.start(run.dir(), "footprint_clients", Duration.ofMinutes(10), List.of(
                run.build().resolve("sse_count").toString(), "-p", Integer.toString(daemon.port()), "-u",
                "/events?type=write&comm=" + comm, "-n", Integer.toString(CLIENTS), "-T", "600"));
             WriteLoop writer = WriteLoop.prepare(run.build(), run.dir(), run.operations(), comm, run.bound())) {
            clients.awaitLine(Pattern.compile("^ready$"), run.ready());
            daemon.trace(writer.pid());
            AtomicLong peakKib = new AtomicLong();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakKib.accumulateAndGet(Rss.kib(pid), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            writer.go();
            writer.await(run.bound());
            // write_loop's own two lines (its PID, its figures) are writes too.
            long expected = run.operations() + 2;
            Map<String, Double> counted = awaitCounted(daemon, comm, expected);
            Thread.sleep(2000);
            sampler.interrupt();
            sampler.join();
            clients.stopCleanly("TERM", Duration.ofSeconds(30));
            String summary = clients.output().lines().filter(line -> line.startsWith("summary ")).reduce((a, b) -> b)
                    .orElse("(none)");
            double lost = counted.entrySet().stream().filter(e -> e.getKey().startsWith("bpfscope_events_lost_total"))
                    .mapToDouble(Map.Entry::getValue).sum();
            int status = daemon.terminate(Duration.ofSeconds(30));
            boolean exact = sum(counted, comm) == expected && status == 0;
            return new Figures(0, 0, 0, peakKib.get() / 1024.0, exact, lost, summary);
        }
    }

    private static Map<String, Double> awaitCounted(Daemon daemon, String comm, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Double> now = Scrape.of(daemon.uri("/q/metrics"));
        while (sum(now, comm) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = Scrape.of(daemon.uri("/q/metrics"));
        }
        return now;
    }

    private static double sum(Map<String, Double> samples, String comm) {
        return DaemonUnderTest.delta(Map.of(), samples, "bpfscope_write_syscalls_total", "comm=\"" + comm + "\"");
    }

    private static void awaitPort(Daemon daemon) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 50);
                return;
            } catch (IOException notYet) {
                if (!daemon.process().isAlive()) {
                    throw new HarnessFailure("the daemon exited at start-up:\n" + daemon.output());
                }
                Thread.sleep(5);
            }
        }
        throw new HarnessFailure("the daemon's port accepted nothing within 60 s");
    }

    private static void awaitReady(Daemon daemon) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Scrape.get(daemon.uri("/q/health/ready")).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new HarnessFailure("/q/health/ready did not answer 200 within 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** "median (min-max)". */
    private static String range(List<Double> values, String form) {
        Samples samples = new Samples(values);
        return String.format(Locale.ROOT, form + " (" + form + "-" + form + ")", samples.median(), samples.min(),
                samples.max());
    }
}
