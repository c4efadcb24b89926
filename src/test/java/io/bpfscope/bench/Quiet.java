package io.bpfscope.bench;

import java.time.Duration;
import java.util.List;

/** Waiting, before a run, for another session's syscall tracers to go. */
final class Quiet {

    private Quiet() {
    }

    /** Up to {@code patience}; returns the foreign tracers still attached (none, normally). */
    static List<String> await(List<ProcessHandle> ours, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> foreign = BpfView.foreignSyscallTracers(ours);
        for (int look = 0; !foreign.isEmpty() && System.nanoTime() < deadline; look++) {
            if (look % 20 == 0) {
                Log.say("waiting up to %d s for foreign syscall tracers to go: %s", patience.toSeconds(),
                        String.join("; ", foreign));
            }
            Thread.sleep(500);
            foreign = BpfView.foreignSyscallTracers(ours);
        }
        if (!foreign.isEmpty()) {
            Log.say("measuring despite foreign syscall tracers: %s", String.join("; ", foreign));
        }
        return foreign;
    }
}
