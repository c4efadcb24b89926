package io.bpfscope.filter;

import io.bpfscope.probe.StartupFailure;
import io.bpfscope.probe.WriteProbe;
import io.bpfscope.probe.WriteProgramState;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The PIDs whose writes are streamed: validated here, put in force in the
 * kernel in one switch ({@link PidFilterMap}), and saved to disk. Every
 * change is checked whole before anything is written, so a refused request
 * changes nothing. The saved set is restored before the programs are
 * attached, and traced processes that exit leave the set on their own.
 */
@ApplicationScoped
public class PidFilter implements WriteProgramState {

    private static final Logger LOG = Logger.getLogger(PidFilter.class);
    private static final Path PID_MAX = Path.of("/proc/sys/kernel/pid_max");
    /** Start time of a PID allowed before its process exists: it is not swept until seen. */
    private static final long NOT_SEEN = -1;

    private final FilterConfig config;
    private final FilterStore store;
    private final AtomicLong exited = new AtomicLong();
    private PidFilterMap map;
    private ChildrenMap children;
    private boolean followChildren;
    /** The traced PIDs, each with the start time of the process it named when added. */
    private Map<Integer, Long> traced = Map.of();
    private long generation;
    private Thread sweeper;

    public PidFilter(FilterConfig config) {
        this.config = config;
        this.store = new FilterStore(config.stateDir());
    }

    /**
     * Takes over the write probe's filter maps (loaded, not yet attached) and
     * puts the saved set in force, less the PIDs whose process is gone.
     */
    @Override
    public synchronized void bind(WriteProbe probe) {
        map = new PidFilterMap(probe);
        children = new ChildrenMap(probe);
        FilterStore.Saved saved;
        try {
            saved = store.load();
        } catch (IOException e) {
            throw new StartupFailure("cannot read the saved PID filter " + store.file() + ": " + e.getMessage()
                    + " (fix or remove the file, or set bpfscope.filter.state-dir)", e);
        }
        Map<Integer, Long> restored = new HashMap<>();
        for (int pid : saved.pids()) {
            OptionalLong start = ProcessStart.of(pid);
            if (start.isPresent()) {
                restored.put(pid, start.getAsLong());
            } else {
                LOG.infof("PID %d of the saved filter has exited: not traced", pid);
            }
        }
        map.replace(restored.keySet());
        traced = Map.copyOf(restored);
        followChildren = saved.followChildren();
        children.follow(followChildren);
        if (!saved.pids().isEmpty()) {
            LOG.infof("restored the PID filter from %s: %s", store.file(), new TreeSet<>(restored.keySet()));
        }
        sweeper = Thread.ofVirtual().name("pid-filter-exits").start(this::sweepExits);
    }

    /** The PIDs traced: those put in the filter, and (with followChildren) their descendants. */
    public synchronized FilterState state() {
        return new FilterState(List.copyOf(all()), followChildren, generation);
    }

    private Set<Integer> all() {
        Set<Integer> all = new TreeSet<>(traced.keySet());
        if (children != null) {
            all.addAll(children.pids());
        }
        return all;
    }

    /** Traced processes that exited and so left the filter, since start. */
    public long exited() {
        return exited.get();
    }

    /**
     * Puts exactly {@code wanted} in force (duplicates count once), following
     * their children or not; followed children of the old set stay traced
     * only while following stays on.
     */
    public synchronized FilterState replace(Collection<Integer> wanted, boolean follow, boolean allowMissing) {
        Set<Integer> next = new TreeSet<>(wanted);
        if (next.size() > config.maxPids()) {
            throw new FilterRejected(422, "pids", "at most " + config.maxPids()
                    + " PIDs can be traced (bpfscope.filter.max-pids), not " + next.size());
        }
        int pidMax = pidMax();
        Map<Integer, Long> starts = new HashMap<>();
        for (int pid : next) {
            starts.put(pid, check(pid, pidMax, allowMissing, "pids"));
        }
        FilterState state = commit(starts, follow);
        if (follow) {
            return state;
        }
        requireChildren().clear();
        return state();
    }

    public synchronized FilterState add(int pid, boolean allowMissing) {
        long start = check(pid, pidMax(), allowMissing, "pid");
        Map<Integer, Long> next = new HashMap<>(traced);
        if (next.put(pid, start) == null && next.size() > config.maxPids()) {
            throw new FilterRejected(422, "pid", "the filter is full: it holds " + config.maxPids()
                    + " PIDs (bpfscope.filter.max-pids)");
        }
        return commit(next, followChildren);
    }

    public synchronized FilterState remove(int pid) {
        boolean child = pid > 0 && pid < PidFilterMap.PID_LIMIT && requireChildren().contains(pid);
        if (!traced.containsKey(pid) && !child) {
            throw new FilterRejected(404, "pid", "PID " + pid + " is not in the filter");
        }
        if (child) {
            children.remove(pid);
        }
        Map<Integer, Long> next = new HashMap<>(traced);
        next.remove(pid);
        return commit(next, followChildren);
    }

    /** Empties the set, followed children included; followChildren stays as it is. */
    public synchronized FilterState clear() {
        requireChildren().clear();
        return commit(Map.of(), followChildren);
    }

    /** What the kernel's map holds, read back (for tests and diagnostics). */
    public Set<Integer> kernelPids() {
        return requireMap().kernelPids();
    }

    /**
     * Put in force, then saved (the save's fsync must not delay tracing); a
     * set that cannot be saved is taken back out of the kernel and refused.
     */
    private FilterState commit(Map<Integer, Long> next, boolean follow) {
        PidFilterMap kernel = requireMap();
        kernel.replace(next.keySet());
        if (follow != followChildren) {
            children.follow(follow);
        }
        Set<Integer> saved = new TreeSet<>(next.keySet());
        if (follow) {
            // Followed children are saved as plain PIDs: after a restart they are traced like any other.
            saved.addAll(requireChildren().pids());
        }
        try {
            store.save(saved, follow);
        } catch (IOException e) {
            kernel.replace(traced.keySet());
            children.follow(followChildren);
            throw new FilterRejected(503, null, "cannot save the PID filter to " + store.file() + ": " + e.getMessage());
        }
        traced = Map.copyOf(next);
        followChildren = follow;
        generation++;
        return state();
    }

    private ChildrenMap requireChildren() {
        requireMap();
        return children;
    }

    /**
     * Drops traced PIDs whose process has exited, or whose number now names
     * another process (same PID, other start time), every exit-check interval.
     */
    private void sweepExits() {
        while (true) {
            try {
                Thread.sleep(config.exitCheckInterval());
            } catch (InterruptedException stopping) {
                return;
            }
            synchronized (this) {
                Map<Integer, Long> next = new HashMap<>(traced);
                boolean changed = false;
                for (Map.Entry<Integer, Long> entry : traced.entrySet()) {
                    OptionalLong start = ProcessStart.of(entry.getKey());
                    if (entry.getValue() == NOT_SEEN) {
                        if (start.isPresent()) {
                            next.put(entry.getKey(), start.getAsLong());
                            changed = true;
                        }
                    } else if (start.isEmpty() || start.getAsLong() != entry.getValue()) {
                        next.remove(entry.getKey());
                        exited.incrementAndGet();
                        changed = true;
                        LOG.debugf("traced PID %d exited: removed from the filter", entry.getKey());
                    }
                }
                if (changed) {
                    try {
                        commit(next, followChildren);
                    } catch (FilterRejected e) {
                        LOG.warnf("could not drop exited PIDs from the filter: %s", e.getMessage());
                    }
                }
            }
        }
    }

    /** Stops watching for exits (the daemon is stopping). */
    @Override
    public synchronized void unbind() {
        if (sweeper != null) {
            sweeper.interrupt();
            sweeper = null;
        }
        if (children != null) {
            children.close();
            children = null;
        }
        map = null;
    }

    private PidFilterMap requireMap() {
        if (map == null) {
            throw new FilterRejected(503, null, "the BPF programs are not loaded");
        }
        return map;
    }

    /** Validates one PID; returns the start time of its process, or NOT_SEEN for an allowed missing one. */
    private static long check(int pid, int pidMax, boolean allowMissing, String field) {
        if (pid <= 0 || pid >= pidMax) {
            throw new FilterRejected(422, field, "PID " + pid + " is outside 1.." + (pidMax - 1)
                    + " (kernel.pid_max is " + pidMax + ")");
        }
        OptionalLong start = ProcessStart.of(pid);
        if (start.isEmpty() && !allowMissing) {
            throw new FilterRejected(422, field, "no process has PID " + pid + " (add ?allowMissing=true to trace it anyway)");
        }
        return start.orElse(NOT_SEEN);
    }

    private static int pidMax() {
        try {
            // readAllLines, not readString: procfs files report size 0, and readString then reads a single byte.
            return Math.min(Integer.parseInt(Files.readAllLines(PID_MAX).getFirst().strip()), PidFilterMap.PID_LIMIT);
        } catch (IOException | NumberFormatException e) {
            return PidFilterMap.PID_LIMIT;
        }
    }
}
