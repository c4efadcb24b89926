package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** A run's report: what ran where, the scenario's tables, and every kept run; one file per run. */
final class Report {

    private Report() {
    }

    static String header(String title, String started, String command) {
        return "# bench: " + title + "\n\n"
                + "- started " + started + ", ended "
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "\n"
                + "- command: `bench/harness " + command + "`\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + Commands.output(List.of("uname", "-sr")).strip() + "\n"
                + "- commit: " + commit() + "\n";
    }

    /** The targets table of the report's scenarios: one row per target. */
    static String targets(List<String> rows) {
        return "\n## targets\n\nJudged on the medians of the rounds; overheads are over nothing attached.\n\n"
                + Targets.HEADER + String.join("", rows);
    }

    /** Every kept run: what the machine did during it, and what the configuration said. */
    static String runs(List<Measurement> measurements) {
        StringBuilder table = new StringBuilder("### every run\n\n| config | round | figure | machine CPU | note |\n"
                + "| --- | ---: | ---: | --- | --- |\n");
        for (Measurement m : measurements) {
            table.append("| `").append(m.configuration()).append("` | ").append(m.round()).append(" | ")
                    .append(Samples.number(Math.round(m.value() * 10) / 10.0)).append(" | ").append(m.cpu())
                    .append(" | ").append(m.note()).append(m.foreign().isEmpty() ? "" : "; FOREIGN: " + m.foreign())
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Writes it as DIR/yyyy-MM-dd-HHmm-COMMIT.md; returns the file. */
    static Path save(Path dir, String report) throws IOException {
        Files.createDirectories(dir);
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + "-"
                + Commands.output(List.of("git", "rev-parse", "--short", "HEAD")).strip();
        // Two runs in one minute keep both reports.
        Path file = dir.resolve(name + ".md");
        for (int n = 2; Files.exists(file); n++) {
            file = dir.resolve(name + "-" + n + ".md");
        }
        return Files.writeString(file, report);
    }

    private static String commit() {
        String head = Commands.output(List.of("git", "rev-parse", "--short", "HEAD")).strip();
        boolean changed = !Commands.output(List.of("git", "status", "--porcelain", "--", "src", "bench", "pom.xml",
                ":!bench/results"))
                .isBlank();
        return head + (changed ? " (with uncommitted changes)" : "");
    }
}
