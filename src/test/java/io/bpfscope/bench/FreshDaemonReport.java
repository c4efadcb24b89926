package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A measurement against one fresh daemon, the build -j names run with the
 * shipped JVM options, and its report: the header, the daemon, the
 * measurement's sections. The daemon must then stop cleanly, as after any
 * run.
 */
final class FreshDaemonReport {

    /** What is measured against the daemon: the report's sections. */
    @FunctionalInterface
    interface Sections {
        String measure(Run run, DaemonUnderTest daemon) throws InterruptedException;
    }

    private FreshDaemonReport() {
    }

    /**
     * Runs {@code sections} (the workload {@code operations} long, bounded by
     * {@code bound}) and saves the report; returns its file.
     */
    static Path save(Path bench, Options options, String command, String title, long operations, Duration bound,
            Sections sections) throws IOException, InterruptedException {
        return save(bench, options, command, title, operations, bound, List.of(), sections);
    }

    /** The same with these daemon settings, as JVM arguments (-Dbpfscope.…=…), named in the report. */
    static Path save(Path bench, Options options, String command, String title, long operations, Duration bound,
            List<String> settings, Sections sections) throws IOException, InterruptedException {
        DaemonBuild build = DaemonBuild.copy(Path.of(options.text("j")), bench.resolve("build/quarkus-app"),
                Path.of("scripts/jvm.options").toAbsolutePath());
        Run run = new Run(bench.resolve("build"), Files.createTempDirectory("bpfscope-bench"), operations,
                Duration.ofSeconds(30), bound, "bpfscope-bench-" + ProcessHandle.current().pid());
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String body;
        try (DaemonUnderTest daemon = DaemonUnderTest.start(run, build, title, null, settings)) {
            body = sections.measure(run, daemon);
            daemon.stop();
        }
        return Report.save(bench.resolve("results"), Report.header(title, started, command) + "- daemon: "
                + build.source() + ", run as `java " + String.join(" ", build.launch().jvmOptions())
                + (settings.isEmpty() ? "" : " " + String.join(" ", settings)) + " -jar …`\n"
                + body);
    }
}
