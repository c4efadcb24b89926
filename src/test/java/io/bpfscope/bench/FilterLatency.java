package io.bpfscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The time from adding a PID to the filter to its first write on /events:
 * a shell writes a line to /dev/null about every millisecond while one
 * client follows /events?type=write&pid=PID; {@code adds} times its PID is
 * added (POST /filters/pids), the time to the next write event taken, and
 * the PID removed, with 50 ms of rest before the next add. The first add
 * is the fresh daemon's first.
 */
final class FilterLatency {

    private static final Pattern PID = Pattern.compile("^pid=(\\d+)$");
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final Duration REST = Duration.ofMillis(50);

    private FilterLatency() {
    }

    /** Each add's time to its first event, in ms, in the order of the adds. */
    static Samples measure(Run run, DaemonUnderTest daemon, int adds) throws InterruptedException {
        String sleep = Executables.resolved(List.of("sleep")).getFirst();
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        List<Double> millis = new ArrayList<>();
        try (Tool writer = Tool.start(run.dir(), "filter_writer", run.bound(), List.of("sh", "-c",
                "echo pid=$$; while :; do echo x; " + sleep + " 0.001; done > /dev/null"));
             PidFilter filter = new PidFilter(daemon)) {
            long pid = Long.parseLong(writer.awaitLine(PID, run.ready()).group(1));
            try (TimedEventStream stream = TimedEventStream.open(daemon, "/events?type=write&pid=" + pid,
                    arrival -> arrivals.add(arrival.nanoTime()))) {
                for (int i = 0; i < adds; i++) {
                    arrivals.clear();
                    long added = System.nanoTime();
                    filter.add(pid);
                    Long first = arrivals.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    if (first == null) {
                        throw new HarnessFailure("no write event within " + PATIENCE.toSeconds() + " s of adding PID "
                                + pid + " (add " + (i + 1) + " of " + adds + ")");
                    }
                    // An event of the add before, later than the rest, would only shorten this one.
                    millis.add((first - added) / 1e6);
                    filter.remove(pid);
                    Thread.sleep(REST);
                }
            }
        }
        return new Samples(millis);
    }
}
