package io.bpfscope.event;

import io.bpfscope.attribution.Container;
import io.bpfscope.attribution.Pod;
import io.bpfscope.attribution.Workload;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which events an /events client wants: values of one filter OR-ed, filters
 * AND-ed, an empty one means all. Word of a loss passes every filter that
 * wants its type: the records were never read, so whether their process,
 * command or pod would have matched cannot be known. Equal filters select equal streams, which
 * is what lets clients share encoded runs (see {@link SharedRuns}). A filter
 * on where an event comes from (namespace, pod, container) matches no host
 * process and no event whose container was not known in time.
 *
 * @param typeMask   bit {@code 1 << type.ordinal()} per wanted type, 0 for all
 * @param pids       sorted
 * @param containers names, full ids, or ids of {@value #SHORT_ID} characters as Docker shows them
 */
public record EventFilter(int typeMask, int[] pids, Set<String> comms, Set<String> namespaces, Set<String> pods,
                   Set<String> containers) {

    static final int SHORT_ID = 12;

    /** Events of these types (all for none) from these namespaces (anywhere for none). */
    public static EventFilter of(Set<EventType> types, Set<String> namespaces) {
        return new EventFilter(maskOf(types), new int[0], Set.of(), Set.copyOf(namespaces), Set.of(), Set.of());
    }

    public static int maskOf(Set<EventType> types) {
        int mask = 0;
        for (EventType type : types) {
            mask |= 1 << type.ordinal();
        }
        return mask;
    }

    /** Runs for every event and every client not served from a shared run: no boxing, no hashing of the common cases. */
    public boolean matches(Message message) {
        return (typeMask == 0 || (typeMask & 1 << message.type().ordinal()) != 0)
                && (!(message instanceof Event event) || matchesProcess(event));
    }

    private boolean matchesProcess(Event event) {
        return (pids.length == 0 || Arrays.binarySearch(pids, event.pid()) >= 0)
                && (comms.isEmpty() || comms.contains(event.comm()))
                && (namespaces.isEmpty() && pods.isEmpty() && containers.isEmpty() || from(event.workload()));
    }

    private boolean from(Optional<Workload> workload) {
        if (workload.isEmpty()) {
            return false;
        }
        Container container = workload.get().container();
        Optional<Pod> pod = workload.get().pod();
        return (namespaces.isEmpty() || pod.isPresent() && namespaces.contains(pod.get().namespace()))
                && (pods.isEmpty() || pod.isPresent() && pods.contains(pod.get().name()))
                && (containers.isEmpty() || containers.contains(container.name()) || containers.contains(container.id())
                        || container.id().length() > SHORT_ID
                                && containers.contains(container.id().substring(0, SHORT_ID)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventFilter that && typeMask == that.typeMask && Arrays.equals(pids, that.pids)
                && comms.equals(that.comms) && namespaces.equals(that.namespaces) && pods.equals(that.pods)
                && containers.equals(that.containers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(typeMask, Arrays.hashCode(pids), comms, namespaces, pods, containers);
    }

    @Override
    public String toString() {
        return "EventFilter[typeMask=" + typeMask + ", pids=" + Arrays.toString(pids) + ", comms=" + comms
                + ", namespaces=" + namespaces + ", pods=" + pods + ", containers=" + containers + "]";
    }
}
