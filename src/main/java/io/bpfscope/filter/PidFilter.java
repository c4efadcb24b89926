package io.bpfscope.filter;

import io.bpfscope.probe.BundledProbes;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PIDs whose writes are streamed: validated here, then put in force in
 * the kernel in one switch ({@link PidFilterMap}). Every change is checked
 * whole before anything is written, so a refused request changes nothing.
 */
@ApplicationScoped
public class PidFilter {

    private static final Path PID_MAX = Path.of("/proc/sys/kernel/pid_max");

    private final BundledProbes probes;
    private final FilterConfig config;
    private PidFilterMap map;
    private List<Integer> pids = List.of();
    private long generation;

    public PidFilter(BundledProbes probes, FilterConfig config) {
        this.probes = probes;
        this.config = config;
    }

    synchronized void onStart(@Observes @Priority(BundledProbes.START + 5) StartupEvent event) {
        probes.probes().ifPresent(loaded ->
                map = new PidFilterMap(loaded.write().pidFilterWords(), loaded.write().pidFilterBase()));
    }

    public synchronized FilterState state() {
        return new FilterState(pids, false, generation);
    }

    /** Puts exactly {@code wanted} in force (duplicates count once). */
    public synchronized FilterState replace(Collection<Integer> wanted, boolean allowMissing) {
        Set<Integer> next = new TreeSet<>(wanted);
        if (next.size() > config.maxPids()) {
            throw new FilterRejected(422, "pids", "at most " + config.maxPids() + " PIDs can be traced (bpfscope.filter.max-pids), not "
                    + next.size());
        }
        int pidMax = pidMax();
        for (int pid : next) {
            check(pid, pidMax, allowMissing, "pids");
        }
        return commit(next);
    }

    public synchronized FilterState add(int pid, boolean allowMissing) {
        check(pid, pidMax(), allowMissing, "pid");
        Set<Integer> next = new TreeSet<>(pids);
        if (next.add(pid) && next.size() > config.maxPids()) {
            throw new FilterRejected(422, "pid", "the filter is full: it holds " + config.maxPids()
                    + " PIDs (bpfscope.filter.max-pids)");
        }
        return commit(next);
    }

    public synchronized FilterState remove(int pid) {
        if (!pids.contains(pid)) {
            throw new FilterRejected(404, "pid", "PID " + pid + " is not in the filter");
        }
        Set<Integer> next = new TreeSet<>(pids);
        next.remove(pid);
        return commit(next);
    }

    public synchronized FilterState clear() {
        return commit(Set.of());
    }

    /** What the kernel's map holds, read back (for tests and diagnostics). */
    public Set<Integer> kernelPids() {
        return requireMap().kernelPids();
    }

    private FilterState commit(Set<Integer> next) {
        requireMap().replace(next);
        pids = List.copyOf(new TreeSet<>(next));
        generation++;
        return state();
    }

    private PidFilterMap requireMap() {
        if (map == null) {
            throw new FilterRejected(503, null, "the BPF programs are not loaded");
        }
        return map;
    }

    private static void check(int pid, int pidMax, boolean allowMissing, String field) {
        if (pid <= 0 || pid >= pidMax) {
            throw new FilterRejected(422, field, "PID " + pid + " is outside 1.." + (pidMax - 1)
                    + " (kernel.pid_max is " + pidMax + ")");
        }
        if (!allowMissing && !Files.isDirectory(Path.of("/proc", Integer.toString(pid)))) {
            throw new FilterRejected(422, field, "no process has PID " + pid + " (add ?allowMissing=true to trace it anyway)");
        }
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
