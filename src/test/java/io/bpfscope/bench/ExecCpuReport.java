package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code bench/harness exec-cpu}: the daemon's own CPU per exec event at a
 * paced exec rate (P6), in all and by thread, judged against its target in
 * bench/README.md.
 */
final class ExecCpuReport {

    /** P6: at most this many µs of the daemon's CPU per exec, at {@link #TARGET_RATE} execs a second. */
    static final double TARGET_MICROS = 20;
    static final long TARGET_RATE = 500;

    private ExecCpuReport() {
    }

    static Path save(Path bench, Options options, String command) throws IOException, InterruptedException {
        PacedExecs execs = new PacedExecs(options.positive("R"));
        Duration warm = Duration.ofSeconds(options.count("w"));
        Duration measured = Duration.ofSeconds(options.positive("s"));
        Duration length = warm.plus(measured);
        return FreshDaemonReport.save(bench, options, command, "exec-cpu", execs.rate() * length.toSeconds(),
                length.plusMinutes(2), (run, daemon) -> {
                    MachineCpu start = MachineCpu.now();
                    ExecCpu.Result result = ExecCpu.measure(run, daemon, execs, warm, measured);
                    Log.say("exec-cpu: %.1f µs of daemon CPU per exec, %d of %d received",
                            result.cpu().microsPerExec(), result.received(), result.cpu().execs());
                    return section(result, execs.rate(), warm, start.usageUntil(MachineCpu.now()));
                });
    }

    static String section(ExecCpu.Result result, long rate, Duration warm, String machine) {
        CpuPerExec cpu = result.cpu();
        boolean every = result.received() == cpu.execs();
        boolean met = cpu.microsPerExec() <= TARGET_MICROS && every;
        StringBuilder section = new StringBuilder(String.format(Locale.ROOT, "%n## exec-cpu (P6)%n%n/bin/true"
                + " spawned (posix_spawn, on an absolute schedule) at %d/s with one /events?type=exec client"
                + " reading: %d s of execs first, then the daemon's threads' CPU and runs from"
                + " /proc/PID/task/*/schedstat over %.0f s more, thread names' digits folded. Machine: %s.%n%n",
                rate, warm.toSeconds(), cpu.seconds(), machine));
        section.append("| execs | rate /s | received | daemon µs per exec | daemon runs per s |\n"
                + "| ---: | ---: | ---: | ---: | ---: |\n");
        section.append(String.format(Locale.ROOT, "| %d | %.0f | %d | %.1f | %.0f |%n%n", cpu.execs(),
                cpu.execsPerSecond(), result.received(), cpu.microsPerExec(), cpu.runsPerSecond()));
        section.append(String.format(Locale.ROOT, "By thread, those of at least %.1f µs per exec:%n%n"
                + "| thread | µs per exec | runs per s |%n| --- | ---: | ---: |%n", CpuPerExec.NOTABLE_MICROS));
        for (CpuPerExec.ThreadShare thread : cpu.busiest()) {
            section.append(String.format(Locale.ROOT, "| `%s` | %.1f | %.0f |%n", thread.name(),
                    thread.microsPerExec(), thread.runsPerSecond()));
        }
        section.append(String.format(Locale.ROOT, "%nTarget (bench/README.md): daemon CPU per exec ≤ %.0f µs at %d"
                + " execs/s, every exec received: **%s**%s%s%n", TARGET_MICROS, TARGET_RATE, met ? "PASS" : "FAIL",
                every ? "" : " (" + result.received() + " of " + cpu.execs() + " received)",
                pace(rate, cpu.execsPerSecond())));
        return section.toString();
    }

    /** What makes the verdict a poor measure of the target: another rate asked, or the asked one not kept. */
    private static String pace(long asked, double reached) {
        String note = asked == TARGET_RATE ? "" : " (" + asked + "/s asked, not the target's " + TARGET_RATE + "/s)";
        if (reached < 0.95 * asked) {
            note += String.format(Locale.ROOT, " (only %.0f/s reached of the %d/s asked: the machine did not keep"
                    + " the pace)", reached, asked);
        }
        return note;
    }
}
