package io.bpfscope.metrics;

import io.bpfscope.attribution.Attribution;
import io.bpfscope.attribution.Workload;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workload each counted cgroup's series are labelled with. A cgroup
 * found in a container keeps that answer until its counts are retired:
 * the runtime forgets a container as soon as it is removed, and its series
 * must keep their labels through the grace period rather than move to the
 * host's. Cgroups not (yet) found in one are asked again on every scrape.
 */
@ApplicationScoped
public class CgroupWorkloads {

    private final Attribution attribution;
    private final Map<Long, Workload> named = new HashMap<>();

    public CgroupWorkloads(Attribution attribution) {
        this.attribution = attribution;
    }

    /** The workload of each of these cgroups; empty for host cgroups and what is not known in time. */
    public synchronized Map<Long, Optional<Workload>> of(Collection<Long> cgroupIds) {
        Map<Long, Optional<Workload>> answers = new HashMap<>();
        Set<Long> unnamed = new HashSet<>();
        for (long cgroupId : cgroupIds) {
            Workload workload = named.get(cgroupId);
            if (workload != null) {
                answers.put(cgroupId, Optional.of(workload));
            } else {
                unnamed.add(cgroupId);
            }
        }
        attribution.ofCgroups(unnamed).forEach((cgroupId, workload) -> {
            answers.put(cgroupId, workload);
            workload.ifPresent(found -> named.put(cgroupId, found));
        });
        return answers;
    }

    /** The cgroups' counts were retired: their answers go too. */
    public synchronized void forget(Collection<Long> cgroupIds) {
        named.keySet().removeAll(cgroupIds);
    }
}
