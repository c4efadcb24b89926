package io.bpfscope.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * NUL-terminated strings in fixed-size fields, which the kernel fills with
 * arbitrary bytes: argv, file names and comms are bytes, not text.
 */
public final class CString {

    private static final char REPLACEMENT = '\uFFFD';

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

    /** The string up to the first NUL, decoded as {@link #decode} does. */
    public static String read(MemorySegment memory, long offset, long max) {
        return decode(memory, offset, end(memory, offset, max));
    }

    /**
     * UTF-8, with every maximal subpart of an ill-formed sequence replaced by
     * one U+FFFD (Unicode 15, section 3.9; the WHATWG Encoding Standard's
     * decoder): the text a browser's TextDecoder, Python's
     * {@code errors="replace"} or Rust's {@code from_utf8_lossy} make of the
     * same bytes, and always valid to encode as JSON. The JDK's decoder
     * differs on encoded surrogates (ED A0..BF): one U+FFFD for all three
     * bytes instead of three.
     */
    static String decode(MemorySegment memory, long from, long to) {
        StringBuilder text = new StringBuilder((int) (to - from));
        long at = from;
        while (at < to) {
            int lead = Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, at++));
            if (lead < 0x80) {
                text.append((char) lead);
                continue;
            }
            int trailing;
            int lowest = 0x80;
            int highest = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                trailing = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                trailing = 2;
                lowest = lead == 0xE0 ? 0xA0 : lowest;   // no overlong forms
                highest = lead == 0xED ? 0x9F : highest; // no surrogates
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                trailing = 3;
                lowest = lead == 0xF0 ? 0x90 : lowest;   // no overlong forms
                highest = lead == 0xF4 ? 0x8F : highest; // nothing past U+10FFFF
            } else {
                text.append(REPLACEMENT);
                continue;
            }
            int codePoint = lead & (0x3F >> trailing);
            int read = 0;
            while (read < trailing && at < to) {
                int next = Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, at));
                if (next < lowest || next > highest) {
                    break;
                }
                codePoint = codePoint << 6 | next & 0x3F;
                lowest = 0x80;
                highest = 0xBF;
                at++;
                read++;
            }
            if (read == trailing) {
                text.appendCodePoint(codePoint);
            } else {
                // The bytes consumed so far are the maximal subpart; the one that broke it starts afresh.
                text.append(REPLACEMENT);
            }
        }
        return text.toString();
    }
}
