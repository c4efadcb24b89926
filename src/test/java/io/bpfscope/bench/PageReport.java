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
 * at RATE writes a second, every one an event for the page's stream. A
 * fresh daemon, the writer paced, and Debian's Chromium headless; each round
 * measures SECONDS with the page closed (about:blank), then SECONDS with it
 * open on /?type=write&pid=WRITER. With it open: the page's own time by
 * Chromium's performance metrics (script, tasks, layout and style), its
 * frames, its long tasks, the messages it took and what the daemon held
 * back for it (maxRate); both ways, the daemon's CPU.
 */
final class PageReport {

    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final String WRITER_COMM = "page-writer";
    private static final List<String> PAGE_TIMES = List.of("ScriptDuration", "TaskDuration", "LayoutDuration",
            "RecalcStyleDuration");

    /** One window: the daemon's CPU, and with the page open its figures (per second). */
    record Window(int round, boolean open, double daemonCpuMillis, Map<String, Double> page) {
    }

    private PageReport() {
    }

    static Path save(Path bench, Options options, String command) throws IOException, InterruptedException {
        long rate = options.positive("R");
        int seconds = Math.toIntExact(options.positive("d"));
        int rounds = Math.toIntExact(options.positive("r"));
        long writes = rate * (2L * rounds * (seconds + 2 * SETTLE.toSeconds()) + 60);
        new Build(bench).run();
        return FreshDaemonReport.save(bench, options, command, "page", writes, Duration.ofSeconds(writes / rate + 300),
                (run, daemon) -> {
                    try (WriteLoop writer = WriteLoop.paced(run.build(), run.dir(), writes, rate, WRITER_COMM, run.bound());
                            Browser browser = Browser.start()) {
                        daemon.trace(writer.pid());
                        writer.go();
                        List<Window> windows = new ArrayList<>();
                        for (int round = 1; round <= rounds; round++) {
                            windows.add(closed(browser, daemon, round, seconds));
                            windows.add(open(browser, daemon, round, seconds, writer.pid()));
                            Log.say("page: round %d: daemon %.0f ms/s closed, %.0f ms/s open; page %s", round,
                                    windows.get(windows.size() - 2).daemonCpuMillis(),
                                    windows.getLast().daemonCpuMillis(), windows.getLast().page());
                        }
                        return section(windows, rate, seconds);
                    }
                });
    }

    private static Window closed(Browser browser, DaemonUnderTest daemon, int round, int seconds)
            throws InterruptedException {
        browser.driver().get("about:blank");
        Thread.sleep(SETTLE.toMillis());
        long cpu = daemon.cpuMillis();
        Thread.sleep(seconds * 1000L);
        return new Window(round, false, (double) (daemon.cpuMillis() - cpu) / seconds, Map.of());
    }

    private static Window open(Browser browser, DaemonUnderTest daemon, int round, int seconds, long pid)
            throws InterruptedException {
        browser.open(daemon.uri("/?type=write&pid=" + pid));
        browser.devTools("Performance.enable", Map.of());
        // Run by the driver, not by the page: its policy allows no inline script, and this is no part of it.
        browser.script("window.__frames = 0; (function frame() { window.__frames++; requestAnimationFrame(frame); })();"
                + " window.__longTasks = 0; new PerformanceObserver(list => { window.__longTasks += list.getEntries().length; })"
                + ".observe({entryTypes: ['longtask']});");
        Thread.sleep(SETTLE.toMillis());
        Map<String, Double> before = pageFigures(browser);
        long cpu = daemon.cpuMillis();
        Thread.sleep(seconds * 1000L);
        long cpuAfter = daemon.cpuMillis();
        Map<String, Double> after = pageFigures(browser);
        Map<String, Double> perSecond = new HashMap<>();
        after.forEach((name, value) -> perSecond.put(name, (value - before.get(name)) / seconds));
        return new Window(round, true, (double) (cpuAfter - cpu) / seconds, perSecond);
    }

    /** Chromium's cumulative times (ms) and the page's own counters. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> pageFigures(Browser browser) {
        Map<String, Double> figures = new HashMap<>();
        Map<String, Object> metrics = browser.devTools("Performance.getMetrics", Map.of());
        for (Map<String, Object> metric : (List<Map<String, Object>>) metrics.get("metrics")) {
            String name = (String) metric.get("name");
            if (PAGE_TIMES.contains(name)) {
                figures.put(name, ((Number) metric.get("value")).doubleValue() * 1000);
            }
        }
        Map<String, Object> page = (Map<String, Object>) browser.script("return {frames: window.__frames,"
                + " longTasks: window.__longTasks, received: state.received, sampled: state.sampled, shown: state.shown,"
                + " skipped: state.skipped};");
        page.forEach((name, value) -> figures.put(name, ((Number) value).doubleValue()));
        return figures;
    }

    static String section(List<Window> windows, long rate, int seconds) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n## page%n%n"
                + "A writer paced at %,d writes/s, its PID traced: every write an event on /events. Each round: %d s"
                + " with the page closed (about:blank), then %d s with the live view open on /?type=write&pid=WRITER"
                + " in Debian's Chromium, headless, on the same 2 cores. Figures per second of each window.%n%n"
                + "| round | page | daemon CPU ms/s | page script ms/s | page tasks ms/s | layout + style ms/s | frames/s"
                + " | long tasks/s | messages/s taken | events/s held back by the daemon | rows/s shown |%n"
                + "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n", rate, seconds, seconds));
        for (Window window : windows) {
            Map<String, Double> page = window.page();
            text.append(window.open()
                    ? String.format(Locale.ROOT, "| %d | open | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f | %.0f | %.0f |%n",
                            window.round(), window.daemonCpuMillis(), page.get("ScriptDuration"), page.get("TaskDuration"),
                            page.get("LayoutDuration") + page.get("RecalcStyleDuration"), page.get("frames"),
                            page.get("longTasks"), page.get("received"), page.get("sampled"), page.get("shown"))
                    : String.format(Locale.ROOT, "| %d | closed | %.0f | | | | | | | | |%n", window.round(),
                            window.daemonCpuMillis()));
        }
        return text.toString();
    }
}
