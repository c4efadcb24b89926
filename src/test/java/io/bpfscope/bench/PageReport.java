package io.bpfscope.bench;

import io.bpfscope.testing.Browser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/harness page}: what the live view costs with a traced writer
 * at RATE writes a second, every one an event for the page's stream, on a
 * node whose SERIES write series are all taken (a full node's scrape is what
 * the page's overview reads every second). A fresh daemon, the writer paced,
 * and Debian's Chromium headless. Each round, SECONDS of each setting in
 * turn: nothing reading; the page open on /?type=write&pid=WRITER; a curl
 * client taking the writer's whole stream; that client with the page open.
 * The daemon's CPU in each; the client's bytes and losses, to show whether
 * the page costs it anything; and with the page open its own time by
 * Chromium's performance metrics (script, tasks, layout and style), its
 * frames, long tasks and JS heap, the messages it took and what the daemon
 * held back for it (maxRate).
 */
final class PageReport {

    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final String WRITER_COMM = "page-writer";
    private static final List<String> PAGE_TIMES = List.of("ScriptDuration", "TaskDuration", "LayoutDuration",
            "RecalcStyleDuration");

    /** What reads the stream in a window. */
    enum Setting {
        NOTHING("nothing", false, false), PAGE("page", true, false), CLIENT("client", false, true),
        CLIENT_AND_PAGE("client + page", true, true);

        final String label;
        final boolean page;
        final boolean client;

        Setting(String label, boolean page, boolean client) {
            this.label = label;
            this.page = page;
            this.client = client;
        }
    }

    /** One window, figures per second: the daemon's CPU, the client's bytes and losses, the page's own. */
    record Window(int round, Setting setting, double daemonCpuMillis, double clientBytes, double clientLost,
            Map<String, Double> page) {
    }

    private PageReport() {
    }

    static Path save(Path bench, Options options, String command) throws IOException, InterruptedException {
        long rate = options.positive("R");
        int seconds = Math.toIntExact(options.positive("d"));
        int rounds = Math.toIntExact(options.positive("r"));
        int series = Math.toIntExact(options.count("s"));
        long writes = rate * (Setting.values().length * rounds * (seconds + 2 * SETTLE.toSeconds()) + 60);
        new Build(bench).run();
        return FreshDaemonReport.save(bench, options, command, "page", writes, Duration.ofSeconds(writes / rate + 300),
                series > 0 ? List.of("-Dbpfscope.write.max-series=" + series) : List.of(),
                (run, daemon) -> {
                    if (series > 0) {
                        Commands.run(List.of(run.build().resolve("many_comms").toString(), Integer.toString(series + 10)));
                    }
                    try (WriteLoop writer = WriteLoop.paced(run.build(), run.dir(), writes, rate, WRITER_COMM, run.bound());
                            Browser browser = Browser.start()) {
                        daemon.trace(writer.pid());
                        writer.go();
                        String stream = "/events?type=write&pid=" + writer.pid();
                        List<Window> windows = new ArrayList<>();
                        for (int round = 1; round <= rounds; round++) {
                            windows.add(window(browser, daemon, null, round, Setting.NOTHING, seconds, writer.pid()));
                            windows.add(window(browser, daemon, null, round, Setting.PAGE, seconds, writer.pid()));
                            browser.driver().get("about:blank");
                            daemon.awaitClients(0);
                            try (CurlClient client = CurlClient.counting(run, daemon, stream, "write")) {
                                windows.add(window(browser, daemon, client, round, Setting.CLIENT, seconds, writer.pid()));
                                windows.add(window(browser, daemon, client, round, Setting.CLIENT_AND_PAGE, seconds,
                                        writer.pid()));
                            }
                            browser.driver().get("about:blank");
                            daemon.awaitClients(0);
                            List<Window> these = windows.subList(windows.size() - 4, windows.size());
                            Log.say("page: round %d: daemon %s ms/s; page %s", round, these.stream()
                                    .map(w -> String.format(Locale.ROOT, "%s %.0f", w.setting().label, w.daemonCpuMillis()))
                                    .toList(), these.get(1).page());
                        }
                        return section(windows, rate, seconds, series);
                    }
                });
    }

    private static Window window(Browser browser, DaemonUnderTest daemon, CurlClient client, int round, Setting setting,
            int seconds, long pid) throws InterruptedException {
        if (setting.page) {
            browser.open(daemon.uri("/?type=write&pid=" + pid));
            browser.devTools("Performance.enable", Map.of());
            // Run by the driver, not by the page: its policy allows no inline script, and this is no part of it.
            browser.script("window.__frames = 0; (function frame() { window.__frames++; requestAnimationFrame(frame); })();"
                    + " window.__longTasks = 0; new PerformanceObserver(list => { window.__longTasks += list.getEntries().length; })"
                    + ".observe({entryTypes: ['longtask']});");
        } else {
            browser.driver().get("about:blank");
        }
        Thread.sleep(SETTLE.toMillis());
        // A full node's scrape takes a while: the client's losses are read around the window, the rest within it.
        Map<String, Double> samples = daemon.scrape();
        Map<String, Double> before = setting.page ? pageFigures(browser) : Map.of();
        long bytes = client == null ? 0 : client.bytesPassed();
        long cpu = daemon.cpuMillis();
        Thread.sleep(seconds * 1000L);
        long cpuAfter = daemon.cpuMillis();
        long bytesAfter = client == null ? 0 : client.bytesPassed();
        Map<String, Double> after = setting.page ? pageFigures(browser) : Map.of();
        Map<String, Double> samplesAfter = daemon.scrape();
        Map<String, Double> perSecond = new HashMap<>();
        if (setting.page) {
            after.forEach((name, value) -> perSecond.put(name, (value - before.get(name)) / seconds));
            perSecond.put("heap", after.get("heap"));
        }
        return new Window(round, setting, (double) (cpuAfter - cpu) / seconds, (double) (bytesAfter - bytes) / seconds,
                DaemonUnderTest.delta(samples, samplesAfter, "bpfscope_events_lost_total", "stage=\"client\"") / seconds,
                perSecond);
    }

    /** Chromium's cumulative times (ms), its JS heap (bytes) and the page's own counters. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> pageFigures(Browser browser) {
        Map<String, Double> figures = new HashMap<>();
        Map<String, Object> metrics = browser.devTools("Performance.getMetrics", Map.of());
        for (Map<String, Object> metric : (List<Map<String, Object>>) metrics.get("metrics")) {
            String name = (String) metric.get("name");
            double value = ((Number) metric.get("value")).doubleValue();
            if (PAGE_TIMES.contains(name)) {
                figures.put(name, value * 1000);
            } else if (name.equals("JSHeapUsedSize")) {
                figures.put("heap", value);
            }
        }
        Map<String, Object> page = (Map<String, Object>) browser.script("return {frames: window.__frames,"
                + " longTasks: window.__longTasks, received: state.received, sampled: state.sampled, shown: state.shown,"
                + " skipped: state.skipped};");
        page.forEach((name, value) -> figures.put(name, ((Number) value).doubleValue()));
        return figures;
    }

    static String section(List<Window> windows, long rate, int seconds, int series) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n## page%n%n"
                + "A writer paced at %,d writes/s, its PID traced: every write an event on /events; %,d write series"
                + " taken first (many_comms), so the page's overview reads a full node's metrics. Each round, %d s of"
                + " each setting in turn: nothing reading the stream; the live view open on /?type=write&pid=WRITER in"
                + " Debian's Chromium, headless, on the same 2 cores; a curl client taking the writer's whole stream;"
                + " that client with the page open. Figures per second of each window; the page's JS heap at its end."
                + " Frames are counted by a requestAnimationFrame loop, which asks for every frame.%n%n"
                + "| round | reading | daemon CPU ms/s | client MB/s | client losses/s | page tasks ms/s | page script ms/s"
                + " | layout + style ms/s | frames/s | long tasks/s | JS heap MiB | messages/s taken"
                + " | events/s held back by the daemon | rows/s shown |%n"
                + "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n",
                rate, series, seconds));
        for (Window window : windows) {
            Map<String, Double> page = window.page();
            text.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %s | %s |", window.round(), window.setting().label,
                    window.daemonCpuMillis(), window.setting().client ? String.format(Locale.ROOT, "%.1f",
                            window.clientBytes() / 1e6) : "", window.setting().client ? String.format(Locale.ROOT, "%.0f",
                            window.clientLost()) : ""));
            text.append(window.setting().page
                    ? String.format(Locale.ROOT, " %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.0f | %.0f | %.0f |%n",
                            page.get("TaskDuration"), page.get("ScriptDuration"),
                            page.get("LayoutDuration") + page.get("RecalcStyleDuration"), page.get("frames"),
                            page.get("longTasks"), page.get("heap") / (1 << 20), page.get("received"), page.get("sampled"),
                            page.get("shown"))
                    : " | | | | | | | | |%n".formatted());
        }
        return text.toString();
    }
}
