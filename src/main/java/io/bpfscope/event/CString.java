package io.bpfscope.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** NUL-terminated strings in fixed-size fields, which the kernel fills with arbitrary bytes. */
public final class CString {

    private CString() {
    }

    /** Index of the first NUL in [offset, offset + max), or offset + max when there is none. */
    static long end(MemorySegment memory, long offset, long max) {
        for (long i = offset, limit = offset + max; i < limit; i++) {
            if (memory.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return i;
            }
        }
        return offset + max;
    }

    /** Bytes that are not UTF-8 become U+FFFD, so the text is always valid to encode as JSON. */
    public static String read(MemorySegment memory, long offset, long max) {
        return decode(memory, offset, end(memory, offset, max));
    }

    static String decode(MemorySegment memory, long from, long to) {
        byte[] bytes = memory.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
