package io.bpfscope.bench;

import io.bpfscope.testing.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A load a limits run puts on the daemon: a write_loop under {@code comm}
 * making {@code loopWrites} writes paced at {@code rate} a second, its PID in
 * the filter, so every write is an event, followed by {@code readers}
 * /events clients that read as fast as they can and {@code stalled} that
 * stop reading.
 */
public record LimitsLoad(int readers, int stalled, long rate, long loopWrites, String comm) {

    /** How long the daemon may take, after the writer is done, to read what it wrote, when it reads on. */
    private static final Duration DRAIN = Duration.ofSeconds(60);
    /** How long the events may stay where they are before the daemon is taken to have read all it will. */
    private static final Duration STILL = Duration.ofSeconds(5);

    /** The writes the daemon sees: the loop's and its result line. */
    public long writes() {
        return loopWrites + 1;
    }

    /** Runs the load against {@code container} with the tools {@code run} built, watching its probes meanwhile. */
    public LimitsOutcome run(Run run, LimitsContainer container) throws InterruptedException {
        try (WriteLoop writer = WriteLoop.paced(run.build(), run.dir(), loopWrites, rate, comm, run.bound())) {
            container.trace(writer.pid());
            try (LimitsFanout clients = LimitsFanout.connect(run, container.port(), writer.pid(), readers, stalled,
                    writes()); LimitsHealth health = LimitsHealth.watch(container::uri)) {
                Map<String, Double> before = container.scrape();
                writer.go();
                Map<String, Double> figures = writer.await(run.bound());
                awaitDelivered(container, before);
                List<LimitsClient> tallies = clients.finish();
                LimitsProbes probes = health.stop();
                // Scraped once the clients are done: a stalled client's loss is counted when it reads again.
                LimitsAccount account = account(before, container.scrape());
                return new LimitsOutcome(this, figures.getOrDefault("rate", 0.0), account, tallies, probes,
                        container.memory(), container.state());
            }
        }
    }

    /** Scrapes until every write was read or counted lost before the hub, or that sum stood still for a while. */
    private void awaitDelivered(LimitsContainer container, Map<String, Double> before) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        long still = System.nanoTime();
        long last = -1;
        while (true) {
            long delivered = account(before, container.scrape()).delivered();
            if (delivered != last) {
                last = delivered;
                still = System.nanoTime();
            }
            if (last >= writes() || System.nanoTime() > deadline || System.nanoTime() - still > STILL.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private LimitsAccount account(Map<String, Double> before, Map<String, Double> after) {
        return LimitsAccount.between(before, after, writes(), "bpfscope_write_syscalls_total" + Scrape.onHost(comm));
    }
}
