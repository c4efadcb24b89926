package io.bpfscope.attribution.cri;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A protobuf message, read field by field: {@link #next} steps to the next
 * field, the caller reads the ones it knows and {@link #skip}s the others.
 * A message that breaks the encoding is an {@link IllegalArgumentException}.
 */
public final class ProtoReader {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final byte[] bytes;
    private final int end;
    private int at;
    private int field;
    private int wireType;

    private ProtoReader(byte[] bytes, int from, int end) {
        this.bytes = bytes;
        this.at = from;
        this.end = end;
    }

    public static ProtoReader of(byte[] message) {
        return new ProtoReader(message, 0, message.length);
    }

    /** Steps to the next field; false at the end of the message. */
    public boolean next() {
        if (at >= end) {
            return false;
        }
        long tag = raw();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (field == 0) {
            throw new IllegalArgumentException("a protobuf field numbered 0");
        }
        return true;
    }

    public int field() {
        return field;
    }

    public long varint() {
        expect(VARINT);
        return raw();
    }

    public String string() {
        int length = length();
        String value = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return value;
    }

    public ProtoReader message() {
        int length = length();
        ProtoReader nested = new ProtoReader(bytes, at, at + length);
        at += length;
        return nested;
    }

    /** The string of the first field {@code field} from here on, reading past the rest; empty if there is none. */
    public Optional<String> firstString(int field) {
        return first(field, ProtoReader::string);
    }

    /** The message of the first field {@code field} from here on, likewise. */
    public Optional<ProtoReader> firstMessage(int field) {
        return first(field, ProtoReader::message);
    }

    private <T> Optional<T> first(int wanted, Function<ProtoReader, T> read) {
        while (next()) {
            if (field == wanted) {
                return Optional.of(read.apply(this));
            }
            skip();
        }
        return Optional.empty();
    }

    /** Adds the entry of a {@code map<string, string>} field at hand to {@code into}. */
    public void entry(Map<String, String> into) {
        ProtoReader entry = message();
        String key = "";
        String value = "";
        while (entry.next()) {
            switch (entry.field()) {
                case 1 -> key = entry.string();
                case 2 -> value = entry.string();
                default -> entry.skip();
            }
        }
        into.put(key, value);
    }

    public void skip() {
        switch (wireType) {
            case VARINT -> raw();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("protobuf field " + field + " has wire type " + wireType
                    + ", which is not one of proto3's");
        }
    }

    private int length() {
        expect(LENGTH_DELIMITED);
        long length = raw();
        if (length < 0 || length > end - at) {
            throw new IllegalArgumentException("protobuf field " + field + " runs past its message");
        }
        return (int) length;
    }

    private void advance(int count) {
        if (count > end - at) {
            throw new IllegalArgumentException("protobuf field " + field + " runs past its message");
        }
        at += count;
    }

    private void expect(int type) {
        if (wireType != type) {
            throw new IllegalArgumentException("protobuf field " + field + " has wire type " + wireType
                    + " where " + type + " was expected");
        }
    }

    private long raw() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                throw new IllegalArgumentException("a protobuf varint runs past its message");
            }
            byte b = bytes[at++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a protobuf varint longer than 10 bytes");
    }
}
