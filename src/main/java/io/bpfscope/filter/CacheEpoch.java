package io.bpfscope.filter;

import io.bpfscope.probe.WriteProbe;

/**
 * The cache_epoch of write.bpf.c, which user space bumps after every change
 * of who is traced, so each CPU's cached "traced or not" is recomputed. Only
 * its changes matter, never its value.
 */
sealed interface CacheEpoch permits MappedCacheEpoch, SyscallCacheEpoch {

    void bump();

    /** Through the probe's mapping of the word where the kernel allows one, else by system calls. */
    static CacheEpoch of(WriteProbe probe) {
        return probe.mappedState() ? new MappedCacheEpoch(probe.cacheEpoch()) : new SyscallCacheEpoch(probe.cacheEpoch());
    }
}
