package io.bpfscope.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Receives one record in place: {@code length} bytes at {@code offset} of
 * {@code memory}, valid only during the call (the producer reuses the space
 * once it returns). Decode, do not keep.
 */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(MemorySegment memory, long offset, int length);
}
