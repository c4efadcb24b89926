package io.bpfscope.attribution;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * cgroup id to workload: the cgroup's path (from the cgroup2 tree), the
 * container its name shows, and what the runtime knows of that container.
 * Answers are kept per container, at most {@code maxContainers}, the
 * unknown ones as well (for {@code negativeNanos}), so a busy container
 * costs one runtime lookup and an id no runtime knows never costs one per
 * event. A container event from the runtime drops its entry. A runtime
 * that could not be asked (restarting, too slow) is not an answer: the
 * container is asked again {@link #RETRY_NANOS} later.
 */
public final class Workloads {

    private static final Logger LOG = Logger.getLogger(Workloads.class);

    /** A known workload, or "none" until {@code expires}. */
    private record Answer(Optional<Workload> workload, long expires) {
    }

    /** What the runtimes said, and whether one of those that may run the container could not be asked. */
    private record Asked(Optional<Workload> workload, boolean failed) {
    }

    /** How long "no answer" stands when a runtime could not be asked. */
    static final long RETRY_NANOS = 1_000_000_000L;

    private final CgroupTree tree;
    private final List<RuntimeClient> runtimes;
    private final int maxContainers;
    private final long negativeNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Answer> byContainer;
    private long lookups;
    private long failures;
    /** Entries dropped (container events, a runtime back): a "none" asked for before may be stale when it comes. */
    private long forgotten;

    public Workloads(CgroupTree tree, List<RuntimeClient> runtimes, int maxContainers, long negativeNanos,
            LongSupplier nanoTime) {
        this.tree = tree;
        this.runtimes = List.copyOf(runtimes);
        this.maxContainers = maxContainers;
        this.negativeNanos = negativeNanos;
        this.nanoTime = nanoTime;
        this.byContainer = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
                return size() > Workloads.this.maxContainers;
            }
        };
    }

    /** The runtimes asked. */
    public List<RuntimeClient> runtimes() {
        return runtimes;
    }

    /**
     * The workload of cgroup {@code cgroupId}, where process {@code pid} is,
     * whose path ends in {@code cgroupTail} where the event said; empty for
     * host processes and what cannot be known.
     */
    public Optional<Workload> of(long cgroupId, int pid, Optional<String> cgroupTail) {
        return tree.path(cgroupId, pid).or(() -> cgroupTail).flatMap(CgroupContainer::of).flatMap(this::of);
    }

    /**
     * The answer for cgroup {@code cgroupId} if it needs neither a walk of
     * the tree nor the runtime: empty when it does.
     */
    public Optional<Optional<Workload>> known(long cgroupId) {
        Optional<String> path = tree.known(cgroupId);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Optional<CgroupContainer> container = CgroupContainer.of(path.get());
        if (container.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        return cached(container.get().id(), nanoTime.getAsLong());
    }

    private synchronized Optional<Optional<Workload>> cached(String containerId, long now) {
        Answer entry = byContainer.get(containerId);
        if (entry != null && (entry.workload.isPresent() || now - entry.expires < 0)) {
            return Optional.of(entry.workload);
        }
        return Optional.empty();
    }

    /**
     * What the runtime knows of the container a cgroup path named. The
     * runtime is asked without holding the cache, so a slow runtime delays
     * only the containers it is asked about.
     */
    public Optional<Workload> of(CgroupContainer container) {
        long now = nanoTime.getAsLong();
        Optional<Optional<Workload>> cached = cached(container.id(), now);
        if (cached.isPresent()) {
            return cached.get();
        }
        long forgottenBefore;
        synchronized (this) {
            forgottenBefore = forgotten;
        }
        Asked asked = ask(container);
        synchronized (this) {
            // A container that started while it was asked about may be named on the next try.
            if (asked.workload.isPresent() || forgotten == forgottenBefore) {
                byContainer.put(container.id(), new Answer(asked.workload,
                        now + (asked.failed ? Math.min(RETRY_NANOS, negativeNanos) : negativeNanos)));
            }
        }
        return asked.workload;
    }

    /** Whether cgroup {@code cgroupId} is gone from the tree. */
    public boolean gone(long cgroupId) {
        return tree.gone(cgroupId);
    }

    /** The runtime said the container changed (started, died, went): the next event asks again. */
    public synchronized void forget(String containerId) {
        byContainer.remove(containerId);
        forgotten++;
    }

    /** A runtime is back: what no runtime could say of a container while it was away is asked again. */
    public synchronized void forgetUnknown() {
        byContainer.values().removeIf(answer -> answer.workload.isEmpty());
        forgotten++;
    }

    /** Lookups of the runtime made, and of those that failed (no answer, or no runtime to ask). */
    public synchronized long lookups() {
        return lookups;
    }

    public synchronized long failures() {
        return failures;
    }

    /** The first answer of the runtimes the container may be of; where its cgroup name shows none, of any. */
    private Asked ask(CgroupContainer container) {
        Optional<Workload> workload = Optional.empty();
        boolean failed = false;
        for (RuntimeClient runtime : runtimes) {
            if (runtime.mayRun(container.runtime())) {
                try {
                    workload = runtime.inspect(container.id());
                } catch (IOException | RuntimeException e) {
                    failed = true;
                    LOG.debugf("cannot ask %s about container %s: %s", runtime.describe(), container.id(),
                            e.getMessage());
                }
                if (workload.isPresent()) {
                    break;
                }
            }
        }
        synchronized (this) {
            lookups++;
            failures += workload.isEmpty() ? 1 : 0;
        }
        return new Asked(workload, failed);
    }
}
