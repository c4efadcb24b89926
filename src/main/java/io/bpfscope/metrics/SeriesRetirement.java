package io.bpfscope.metrics;

import io.bpfscope.attribution.Attribution;
import io.bpfscope.attribution.AttributionConfig;
import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.LoadedProbes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Retires the in-kernel counts of cgroups that are gone: once a cgroup has
 * been missing from the tree for {@code bpfscope.attribution.series-grace},
 * its write slots go back to the kernel's free queue and its exec counts
 * are deleted, so its series leave the exposition and a node that churns
 * containers never runs out of slots. A cgroup that is back before then
 * (a walk that had not yet seen it) starts its grace afresh when it goes.
 */
@ApplicationScoped
public class SeriesRetirement {

    private static final Logger LOG = Logger.getLogger(SeriesRetirement.class);
    private static final Duration MOST_BETWEEN_SWEEPS = Duration.ofSeconds(30);

    private final BundledProbes probes;
    private final Attribution attribution;
    private final long graceNanos;
    private final Duration every;
    /** When each cgroup still counted was first found gone. */
    private final Map<Long, Long> goneSince = new HashMap<>();
    private final AtomicLong retired = new AtomicLong();
    private volatile Thread sweeper;

    public SeriesRetirement(BundledProbes probes, Attribution attribution, AttributionConfig config) {
        this.probes = probes;
        this.attribution = attribution;
        this.graceNanos = config.seriesGrace().toNanos();
        Duration half = config.seriesGrace().dividedBy(2);
        this.every = half.compareTo(MOST_BETWEEN_SWEEPS) > 0 ? MOST_BETWEEN_SWEEPS : half;
    }

    void onStart(@Observes StartupEvent event) {
        sweeper = Thread.ofVirtual().name("bpfscope-series-retirement").start(this::run);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        Thread running = sweeper;
        if (running != null) {
            running.interrupt();
            running.join(Duration.ofSeconds(5));
        }
    }

    /** cgroups whose series were retired since start. */
    public long retired() {
        return retired.get();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(every);
                probes.probes().ifPresent(this::sweep);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "cannot retire the counts of cgroups that are gone; trying again in %s", every);
            }
        }
    }

    /** One pass: notes the cgroups counted that are gone, and retires those gone for the grace period. */
    synchronized void sweep(LoadedProbes loaded) {
        Set<Long> counted = KernelCounts.read(loaded).cgroups();
        goneSince.keySet().retainAll(counted);
        long now = System.nanoTime();
        Set<Long> due = new HashSet<>();
        for (long cgroupId : counted) {
            if (!attribution.gone(cgroupId)) {
                goneSince.remove(cgroupId);
            } else if (now - goneSince.computeIfAbsent(cgroupId, id -> now) >= graceNanos) {
                due.add(cgroupId);
            }
        }
        if (!due.isEmpty()) {
            int slots = loaded.write().counts().retire(due);
            loaded.exec().counts().retire(due);
            attribution.forget(due);
            goneSince.keySet().removeAll(due);
            retired.addAndGet(due.size());
            LOG.debugf("retired the counts of %d cgroups that are gone (%d write slots freed)", due.size(), slots);
        }
    }
}
