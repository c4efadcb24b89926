package io.bpfscope.api;

import io.bpfscope.event.Event;
import io.bpfscope.event.EventType;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Which events an /events client wants: values of one filter OR-ed, filters
 * AND-ed, an empty one means all. Equal filters select equal streams, which
 * is what lets clients share encoded runs (see {@link SharedRuns}).
 *
 * @param typeMask bit {@code 1 << type.ordinal()} per wanted type, 0 for all
 * @param pids     sorted
 */
record EventFilter(int typeMask, int[] pids, Set<String> comms) {

    static int maskOf(Set<EventType> types) {
        int mask = 0;
        for (EventType type : types) {
            mask |= 1 << type.ordinal();
        }
        return mask;
    }

    /** Runs for every event and every client not served from a shared run: no boxing, no hashing of the common cases. */
    boolean matches(Event event) {
        return (typeMask == 0 || (typeMask & 1 << event.type().ordinal()) != 0)
                && (pids.length == 0 || Arrays.binarySearch(pids, event.pid()) >= 0)
                && (comms.isEmpty() || comms.contains(event.comm()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventFilter that && typeMask == that.typeMask && Arrays.equals(pids, that.pids)
                && comms.equals(that.comms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(typeMask, Arrays.hashCode(pids), comms);
    }

    @Override
    public String toString() {
        return "EventFilter[typeMask=" + typeMask + ", pids=" + Arrays.toString(pids) + ", comms=" + comms + "]";
    }
}
