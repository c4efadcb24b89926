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
 * event. A container event from the runtime drops its entry.
 */
public final class Workloads {

    private static final Logger LOG = Logger.getLogger(Workloads.class);

    private record Answer(Optional<Workload> workload, long asked) {
    }

    private final CgroupTree tree;
    private final List<RuntimeClient> runtimes;
    private final int maxContainers;
    private final long negativeNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Answer> byContainer;
    private long lookups;
    private long failures;

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
        if (entry != null && (entry.workload.isPresent() || now - entry.asked < negativeNanos)) {
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
        Optional<Workload> workload = ask(container);
        synchronized (this) {
            byContainer.put(container.id(), new Answer(workload, now));
        }
        return workload;
    }

    /** Whether cgroup {@code cgroupId} is gone from the tree. */
    public boolean gone(long cgroupId) {
        return tree.gone(cgroupId);
    }

    /** The runtime said the container changed (started, died, went): the next event asks again. */
    public synchronized void forget(String containerId) {
        byContainer.remove(containerId);
    }

    /** A runtime is back: what no runtime could say of a container while it was away is asked again. */
    public synchronized void forgetUnknown() {
        byContainer.values().removeIf(answer -> answer.workload.isEmpty());
    }

    /** Lookups of the runtime made, and of those that failed (no answer, or no runtime to ask). */
    public synchronized long lookups() {
        return lookups;
    }

    public synchronized long failures() {
        return failures;
    }

    /** The first answer of the runtimes the container may be of; where its cgroup name shows none, of any. */
    private Optional<Workload> ask(CgroupContainer container) {
        Optional<Workload> workload = Optional.empty();
        for (RuntimeClient runtime : runtimes) {
            if (runtime.mayRun(container.runtime())) {
                try {
                    workload = runtime.inspect(container.id());
                } catch (IOException | RuntimeException e) {
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
        return workload;
    }
}
