package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time of the whole machine (/proc/stat), and of one process
 * (/proc/PID/stat): how busy the machine was during a run, and what a tool
 * or the daemon spent.
 */
public record MachineCpu(long busy, long total, long steal) {

    /** USER_HZ: the kernel reports CPU times in 1/100 s on every architecture bpfscope runs on. */
    private static final long TICKS_PER_SECOND = 100;

    public static MachineCpu now() {
        String[] f = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = Long.parseLong(f[8]);
        long busy = user + nice + system + irq + softirq + steal;
        return new MachineCpu(busy, busy + idle + iowait, steal);
    }

    /** "63% busy, 0% steal" of all CPUs between this snapshot and {@code later}. */
    public String usageUntil(MachineCpu later) {
        long total = later.total - this.total;
        if (total <= 0) {
            return "?";
        }
        return String.format(Locale.ROOT, "%.0f%% busy, %.0f%% steal", 100.0 * (later.busy - busy) / total,
                100.0 * (later.steal - steal) / total);
    }

    /** User plus system CPU time of a process, all its threads, in ms. */
    public static long processMillis(long pid) {
        return statMillis(read(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** User plus system CPU time, in ms, of a /proc stat line (a process's, or one of its tasks'). */
    static long statMillis(String stat) {
        // The fields after the command, which may hold spaces and parentheses, start past its last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
