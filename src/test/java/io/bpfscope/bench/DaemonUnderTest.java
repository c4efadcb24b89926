package io.bpfscope.bench;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fresh daemon for one run: started, attached (the kernel lists its
 * programs on their tracepoints), its filter empty, settled (its start-up
 * work done); stopped with SIGTERM, which it must exit 0 on, leaving none of
 * its programs loaded. Its figures come from its own /q/metrics.
 */
final class DaemonUnderTest implements AutoCloseable {

    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final Daemon daemon;
    private final Set<Long> programs;

    private DaemonUnderTest(Daemon daemon, Set<Long> programs) {
        this.daemon = daemon;
        this.programs = programs;
    }

    static DaemonUnderTest start(Run run, DaemonBuild build, String name) throws InterruptedException {
        return start(run, build, name, null);
    }

    /** The same served over HTTPS with {@code https}'s certificate, or over HTTP when it is null. */
    static DaemonUnderTest start(Run run, DaemonBuild build, String name, Https https) throws InterruptedException {
        return start(run, build, name, https, List.of());
    }

    /** The same with these daemon settings, as JVM arguments (-Dbpfscope.…=…). */
    static DaemonUnderTest start(Run run, DaemonBuild build, String name, Https https, List<String> settings)
            throws InterruptedException {
        Path stateDir = run.dir().resolve("state-" + name + "-" + System.nanoTime());
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] arguments = settings.toArray(String[]::new);
        Daemon daemon = https == null ? Daemon.start(build.launch(), List.of(), stateDir, arguments)
                : Daemon.startHttps(build.launch(), stateDir, https.server(), https.trust(), arguments);
        try {
            daemon.awaitListening(run.ready());
            ProcessHandle process = daemon.process().toHandle();
            for (String tracepoint : List.of("sys_enter_write", "sys_enter_execve")) {
                BpfView.awaitAttached(process, "bpfscope", tracepoint, run.ready(), daemon::output);
            }
            String filter = daemon.get("/filters/pids").body();
            if (!filter.contains("\"pids\":[]")) {
                throw new HarnessFailure("a fresh bpfscope's filter is not empty: " + filter);
            }
            settle(process.pid());
            return new DaemonUnderTest(daemon, BpfView.programsOf(process.pid()));
        } catch (RuntimeException | InterruptedException e) {
            close(daemon);
            throw e;
        }
    }

    ProcessHandle process() {
        return daemon.process().toHandle();
    }

    int port() {
        return daemon.port();
    }

    URI uri(String path) {
        return daemon.uri(path);
    }

    void trace(long pid) {
        daemon.trace(pid);
    }

    void untraceAll() {
        daemon.untraceAll();
    }

    /** bpfscope's own samples in its /q/metrics. */
    Map<String, Double> scrape() {
        return Scrape.samples(exposition());
    }

    /** Its whole /q/metrics, the JVM's samples too. */
    String exposition() {
        HttpResponse<String> metrics = daemon.get("/q/metrics");
        if (metrics.statusCode() != 200) {
            throw new HarnessFailure("GET /q/metrics: " + metrics.statusCode() + " " + metrics.body());
        }
        return metrics.body();
    }

    long cpuMillis() {
        return MachineCpu.processMillis(daemon.process().pid());
    }

    /**
     * Scrapes until {@code series} grew by {@code expected} since {@code before},
     * or stopped growing for 5 s (60 s at most); returns the last scrape.
     */
    Map<String, Double> awaitGrowth(Map<String, Double> before, String series, long expected)
            throws InterruptedException {
        Map<String, Double> now = scrape();
        double last = -1;
        long still = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delta(before, now, series, "") < expected && System.nanoTime() < deadline
                && System.nanoTime() - still < Duration.ofSeconds(5).toNanos()) {
            double grown = delta(before, now, series, "");
            if (grown != last) {
                last = grown;
                still = System.nanoTime();
            }
            Thread.sleep(100);
            now = scrape();
        }
        return now;
    }

    /** Until bpfscope_sse_clients says {@code clients} (10 s at most). */
    void awaitClients(int clients) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double now;
        while ((now = scrape().getOrDefault("bpfscope_sse_clients", 0.0)) != clients) {
            if (System.nanoTime() > deadline) {
                throw new HarnessFailure("bpfscope reports " + Samples.number(now) + " /events clients, expected " + clients);
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM: it must exit 0, and every program it held must leave the kernel. */
    void stop() throws InterruptedException {
        int status = terminate();
        if (status != 0) {
            List<String> lines = daemon.output().lines().toList();
            throw new HarnessFailure("bpfscope: exit status " + status + " on SIGTERM (expected 0); its output ends with:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
        }
    }

    /** SIGTERM; its exit status, once every program it held has left the kernel (a soak judges the status). */
    int terminate() throws InterruptedException {
        int status = daemon.terminate(Duration.ofSeconds(30));
        BpfView.awaitUnloaded(programs, Duration.ofSeconds(10));
        return status;
    }

    /** Growth of the samples named {@code series} (its labels too, if it has some) carrying {@code label}. */
    static double delta(Map<String, Double> before, Map<String, Double> after, String series, String label) {
        return sum(after, series, label) - sum(before, series, label);
    }

    private static double sum(Map<String, Double> samples, String series, String label) {
        return samples.entrySet().stream()
                .filter(e -> (e.getKey().equals(series) || e.getKey().startsWith(series + "{")) && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /**
     * Until its JVM uses under 5% of a CPU over half a second (10 s at most):
     * a daemon runs for days, so its start-up work must not land in a run.
     */
    private static void settle(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long last = MachineCpu.processMillis(pid);
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = MachineCpu.processMillis(pid);
            if (now - last <= 25) {
                return;
            }
            last = now;
        }
        Log.say("bpfscope still busy %d s after start-up; measuring anyway", SETTLE.toSeconds());
    }

    @Override
    public void close() {
        close(daemon);
    }

    private static void close(Daemon daemon) {
        try {
            daemon.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
