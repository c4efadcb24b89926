package io.bpfscope.filter;

import io.bpfscope.libbpf.BpfMap;

/**
 * The cache epoch where the kernel cannot map it: read and written back by
 * system calls. The programs may bump it between the two, and that bump is
 * then lost; were the word written back one higher, it could come back to a
 * value some CPU's cache entry was made in, and the entry would be trusted
 * again. Adding 2^32 keeps the word growing, so every value it takes is new
 * (the kernel would need 2^32 bumps between the read and the write).
 */
final class SyscallCacheEpoch implements CacheEpoch {

    private static final long STEP = 1L << 32;
    /** One for every instance: two bumps interleaved could write the word back lower. */
    private static final Object BUMPING = new Object();

    private final BpfMap map;

    SyscallCacheEpoch(BpfMap map) {
        this.map = map;
    }

    @Override
    public void bump() {
        synchronized (BUMPING) {
            map.put(0, map.getLong(0) + STEP);
        }
    }
}
