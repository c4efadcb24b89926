package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Signals by name to a process, which Java's process API cannot send but for TERM and KILL. */
final class Signals {

    private Signals() {
    }

    static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder(Executables.resolved(List.of("kill", "-s", signal, Long.toString(pid))))
                    .redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
