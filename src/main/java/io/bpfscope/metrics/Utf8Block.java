package io.bpfscope.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Text encoded to UTF-8 as it is appended, into one reused array written out
 * a block at a time: a scrape's megabytes of text never exist as a String
 * and then again as its bytes. A lone surrogate becomes '?', as Java's own
 * UTF-8 encoder writes it.
 */
final class Utf8Block {

    private final OutputStream out;
    private final int blockBytes;
    private byte[] bytes;
    private int length;

    Utf8Block(OutputStream out, int blockBytes) {
        this.out = out;
        this.blockBytes = blockBytes;
        this.bytes = new byte[blockBytes + 1024];
    }

    Utf8Block append(String text) {
        int chars = text.length();
        room(3 * chars);
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                i = encode(text, i, c);
            }
        }
        return this;
    }

    /** Text already encoded. */
    Utf8Block append(byte[] encoded) {
        room(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
        return this;
    }

    /** An ASCII character. */
    Utf8Block append(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    Utf8Block append(long value) {
        if (value < 0) {
            return append(Long.toString(value));
        }
        room(20);
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int at = length + digits - 1; at >= length; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    void flushIfFull() throws IOException {
        if (length >= blockBytes) {
            flush();
        }
    }

    void flush() throws IOException {
        out.write(bytes, 0, length);
        length = 0;
    }

    /** Encodes the non-ASCII character c at index i of text; returns the index of the last character taken. */
    private int encode(String text, int i, char c) {
        if (c < 0x800) {
            bytes[length++] = (byte) (0xC0 | c >> 6);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        } else if (!Character.isSurrogate(c)) {
            bytes[length++] = (byte) (0xE0 | c >> 12);
            bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            int point = Character.toCodePoint(c, text.charAt(i + 1));
            bytes[length++] = (byte) (0xF0 | point >> 18);
            bytes[length++] = (byte) (0x80 | point >> 12 & 0x3F);
            bytes[length++] = (byte) (0x80 | point >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | point & 0x3F);
            return i + 1;
        } else {
            bytes[length++] = '?';
        }
        return i;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + more));
        }
    }
}
