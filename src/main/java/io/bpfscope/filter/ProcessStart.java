package io.bpfscope.filter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * When a process started (field 22 of /proc/PID/stat, in clock ticks since
 * boot): with the PID, it names one process, so a PID the kernel has given
 * to a new process is not mistaken for the one that was traced.
 */
final class ProcessStart {

    private ProcessStart() {
    }

    static OptionalLong of(int pid) {
        try {
            String stat = Files.readAllLines(Path.of("/proc", Integer.toString(pid), "stat")).getFirst();
            // The comm in parentheses may hold spaces and parentheses: fields are counted after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
    }
}
