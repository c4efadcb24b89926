package io.bpfscope.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exec to client: {@code execs} execs of /bin/true MARK I, one at a time
 * and {@code gap} apart so the machine is idle between them, while one
 * client follows /events?type=exec; for each, the time its message arrived
 * less the event's own "time" (the kernel's stamp at sys_enter_execve), by
 * the wall clock.
 */
final class ExecLatency {

    /** How many execs were run, and the latency of each that arrived, in ms. */
    record Result(long execs, Samples millis) {

        long received() {
            return millis.count();
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ExecLatency() {
    }

    static Result measure(Run run, DaemonUnderTest daemon, long execs, Duration gap) throws InterruptedException {
        String mark = run.marker() + "-latency";
        Map<Long, Double> millis = new ConcurrentHashMap<>();
        try (TimedEventStream stream = TimedEventStream.open(daemon, "/events?type=exec",
                arrival -> StreamedExec.parse(arrival.data())
                        .filter(exec -> exec.argv().size() == 3 && exec.argv().get(1).equals(mark))
                        .ifPresent(exec -> millis.put(Long.parseLong(exec.argv().get(2)),
                                exec.latency(arrival.at()).toNanos() / 1e6)))) {
            for (long i = 0; i < execs; i++) {
                int status = DirectExec.await(DirectExec.spawn(List.of("/bin/true", mark, Long.toString(i))));
                if (status != 0) {
                    throw new HarnessFailure("/bin/true " + mark + " " + i + " ended with wait status " + status);
                }
                Thread.sleep(gap);
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (millis.size() < execs && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        return new Result(execs, new Samples(List.copyOf(millis.values())));
    }
}
