package io.bpfscope.api;

import io.bpfscope.event.EventFilter;
import io.bpfscope.event.EventHub;
import io.netty.buffer.ByteBuf;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Encoded runs of the stream that clients with equal filters share. The
 * messages an /events client is sent for the events from sequence number
 * {@code from} up to {@code to} depend only on its filter, so the first
 * client to encode a run leaves it here and the others that stand at
 * {@code from} send the same bytes and jump to {@code to}: with many
 * clients watching the same thing, encoding and copying are done once, not
 * once per client. Clients keeping up wake on the same signal and stand at
 * the same positions, so they meet here; one that has fallen behind past
 * what is kept encodes on its own.
 *
 * <p>Buffers are reference counted: the cache holds one reference per run
 * and hands out retained duplicates.
 */
final class SharedRuns {

    /** How far (in sequence numbers) behind the newest event a run is still kept. */
    static final long KEEP_SEQUENCES = 8192;
    /** At most this many runs, whatever their age: bounds the direct memory held. */
    static final int MAX_RUNS = 128;

    private record Key(EventFilter filter, long from) {
    }

    /** The encoded messages of the events [from, to) that pass the filter; possibly none. */
    record Run(long to, ByteBuf bytes) {
    }

    private final EventHub hub;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Run> runs = new LinkedHashMap<>();

    SharedRuns(EventHub hub) {
        this.hub = hub;
    }

    /** The run that starts at {@code from} for this filter, its bytes retained for the caller; null if none is kept. */
    Run take(EventFilter filter, long from) {
        lock.lock();
        try {
            Run run = runs.get(new Key(filter, from));
            return run == null ? null : new Run(run.to(), run.bytes().retainedDuplicate());
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a run for others (retaining its bytes), and lets go of the runs too old or too many to be wanted. */
    void offer(EventFilter filter, long from, long to, ByteBuf bytes) {
        long oldestKept = hub.nextSeq() - KEEP_SEQUENCES;
        lock.lock();
        try {
            Key key = new Key(filter, from);
            if (runs.containsKey(key)) {
                // Two clients encoded the same run at once; the first one kept stays.
                return;
            }
            runs.put(key, new Run(to, bytes.retainedDuplicate()));
            Iterator<Map.Entry<Key, Run>> oldestFirst = runs.entrySet().iterator();
            while (oldestFirst.hasNext()) {
                Run run = oldestFirst.next().getValue();
                if (run.to() >= oldestKept && runs.size() <= MAX_RUNS) {
                    break;
                }
                run.bytes().release();
                oldestFirst.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs kept now (for tests and the memory bound). */
    int size() {
        lock.lock();
        try {
            return runs.size();
        } finally {
            lock.unlock();
        }
    }
}
