package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.probe.WriteProbe;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kernel side of the PID filter: a bitmap over every possible PID, kept
 * twice (see write.bpf.c). A new set is written into the half not in force,
 * then one store to pid_filter_base switches the programs over, so they see
 * the old set or the new one and never a mix. A shadow copy of both halves
 * means only the words that change are written.
 */
public final class PidFilterMap {

    /** BPFSCOPE_PID_FILTER_WORDS of bpfscope.h. */
    static final int WORDS = 65536;
    /** PID_MAX_LIMIT on 64-bit: no PID is ever this large. */
    public static final int PID_LIMIT = WORDS * 64;

    private final BpfMap words;
    private final BpfMap base;
    private final CacheEpoch cacheEpoch;
    private final long[][] shadow = new long[2][WORDS];
    private int active;

    /** Over a freshly loaded write probe's maps: all zero, half 0 in force, no PID traced. */
    public PidFilterMap(WriteProbe probe) {
        this.words = probe.pidFilterWords();
        this.base = probe.pidFilterBase();
        this.cacheEpoch = CacheEpoch.of(probe);
    }

    /** Puts {@code pids} in force in one switch. */
    public synchronized void replace(Collection<Integer> pids) {
        int next = 1 - active;
        long[] wanted = bitmap(pids);
        long[] current = shadow[next];
        for (int word = 0; word < WORDS; word++) {
            if (current[word] != wanted[word]) {
                words.put(next * WORDS + word, wanted[word]);
                current[word] = wanted[word];
            }
        }
        base.put(0, next * WORDS);
        active = next;
        cacheEpoch.bump();
    }

    /** The set in force, as this side last wrote it. */
    public synchronized Set<Integer> pids() {
        return members(shadow[active]);
    }

    /** The set in force, read back from the kernel's maps. */
    public Set<Integer> kernelPids() {
        int first = base.getInt(0);
        long[] bits = new long[WORDS];
        for (int word = 0; word < WORDS; word++) {
            bits[word] = words.getLong(first + word);
        }
        return members(bits);
    }

    private static long[] bitmap(Collection<Integer> pids) {
        long[] bits = new long[WORDS];
        for (int pid : pids) {
            if (pid <= 0 || pid >= PID_LIMIT) {
                throw new IllegalArgumentException("pid " + pid + " is outside 1.." + (PID_LIMIT - 1));
            }
            bits[pid >>> 6] |= 1L << (pid & 63);
        }
        return bits;
    }

    private static Set<Integer> members(long[] bits) {
        Set<Integer> pids = new TreeSet<>();
        for (int word = 0; word < bits.length; word++) {
            for (long rest = bits[word]; rest != 0; rest &= rest - 1) {
                pids.add(word * 64 + Long.numberOfTrailingZeros(rest));
            }
        }
        return pids;
    }
}
