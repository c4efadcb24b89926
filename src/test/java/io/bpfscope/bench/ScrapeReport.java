package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/harness scrape}: what a scrape costs a node whose write series
 * are all in use. A fresh daemon with write latency on (-L on, the largest
 * exposition: sizes, durations and errors per series) or off, and
 * {@code bpfscope.write.max-series} SERIES; many_comms makes SERIES + 10
 * (command, cgroup) pairs, so every slot is taken and "_other" counts too;
 * then the formats are scraped in turn, judged against the target in
 * bench/README.md.
 */
final class ScrapeReport {

    /** A scrape of a full node takes at most this long (its median, as the scraper sees it). */
    static final double TARGET_MILLIS = 50;

    private ScrapeReport() {
    }

    static Path save(Path bench, Options options, String command) throws IOException, InterruptedException {
        int series = Math.toIntExact(options.positive("s"));
        int scrapes = Math.toIntExact(options.positive("n"));
        int warm = Math.toIntExact(options.count("w"));
        boolean latency = switch (options.text("L")) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("-L is on or off, not " + options.text("L"));
        };
        new Build(bench).run();
        return FreshDaemonReport.save(bench, options, command, "scrape", series, Duration.ofMinutes(10),
                List.of("-Dbpfscope.write.max-series=" + series, "-Dbpfscope.write.latency.enabled=" + latency),
                (run, daemon) -> {
                    Commands.run(List.of(run.build().resolve("many_comms").toString(), Integer.toString(series + 10)));
                    double used = Exposition.of(daemon).value("bpfscope_write_slots{state=\"used\"}");
                    if (used != series) {
                        throw new HarnessFailure("many_comms made " + used + " write series of " + series);
                    }
                    ScrapeCost.Result result = ScrapeCost.measure(daemon, warm, scrapes);
                    result.formats().forEach(format -> Log.say("scrape: %s median %.1f ms, %,d bytes", format.name(),
                            format.percentile(0.5), format.bytes()));
                    return section(result, series, scrapes, warm, latency);
                });
    }

    static String section(ScrapeCost.Result result, int series, int scrapes, int warm, boolean latency) {
        StringBuilder section = new StringBuilder(String.format(Locale.ROOT, "%n## scrape%n%n"
                + "A daemon with bpfscope.write.latency.enabled=" + latency + " and bpfscope.write.max-series=%d, every slot taken"
                + " (many_comms made %d pairs); %d scrapes of each format first, then %d of each, interleaved, timed"
                + " from the request to the last byte read by a JDK client on the same machine.%n%n"
                + "| format | median ms | p90 ms | max ms | bytes |%n| --- | ---: | ---: | ---: | ---: |%n",
                series, series + 10, warm, scrapes));
        boolean met = true;
        for (ScrapeCost.Format format : result.formats()) {
            double median = format.percentile(0.5);
            met &= median <= TARGET_MILLIS;
            section.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %,d |%n", format.name(), median,
                    format.percentile(0.9), format.percentile(1.0), format.bytes()));
        }
        section.append(String.format(Locale.ROOT, "%nThe daemon per scrape, over all of them: %.1f ms of CPU, %.1f MiB"
                + " allocated (jvm_gc_memory_allocated_bytes_total).%n%nTarget (bench/README.md): a scrape of a full"
                + " node ≤ %.0f ms (median, each format): **%s**%n", result.cpuMillisPerScrape(),
                result.allocatedBytesPerScrape() / (1 << 20), TARGET_MILLIS, met ? "PASS" : "FAIL"));
        return section.toString();
    }
}
