package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Short commands the harness runs to the end (a compiler, bpftool): their output, or a failure naming them. */
final class Commands {

    private Commands() {
    }

    /** Its standard output; a failure carries its standard error. */
    static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(Executables.resolved(command)).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0) {
                throw new HarnessFailure(String.join(" ", command) + " failed (exit status " + status + "):\n" + error);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessFailure("interrupted running " + command.getFirst());
        }
    }

    static void run(List<String> command) {
        output(command);
    }
}
