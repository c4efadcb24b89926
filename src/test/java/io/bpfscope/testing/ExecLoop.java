package io.bpfscope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A shell that execs /bin/true twice every 10 ms or so until closed: a
 * steady few hundred exec events a second on every /events stream, enough
 * to keep each write in flight without starving the daemon of the machine's
 * two cores.
 */
public final class ExecLoop implements AutoCloseable {

    private final Process shell;

    private ExecLoop(Process shell) {
        this.shell = shell;
    }

    public static ExecLoop start() {
        try {
            return new ExecLoop(new ProcessBuilder("/bin/sh", "-c", "while :; do /bin/true; /bin/true; sleep 0.01; done")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        shell.destroy();
        shell.waitFor();
    }
}
