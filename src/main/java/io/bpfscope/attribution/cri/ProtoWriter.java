package io.bpfscope.attribution.cri;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A protobuf message, written field by field. Fields holding their type's
 * default (0, false, "") are left out, as proto3 writers do.
 */
public final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter string(int field, String value) {
        return value.isEmpty() ? this : bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter varint(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            raw(value);
        }
        return this;
    }

    public ProtoWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    /** A nested message; written even when empty, as a set field with nothing in it. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.bytes(), true);
    }

    /** A {@code map<string, string>}: one entry message (key 1, value 2) per pair. */
    public ProtoWriter map(int field, Map<String, String> entries) {
        entries.forEach((key, value) -> message(field, new ProtoWriter().string(1, key).string(2, value)));
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    private ProtoWriter bytes(int field, byte[] value) {
        return bytes(field, value, false);
    }

    private ProtoWriter bytes(int field, byte[] value, boolean evenEmpty) {
        if (value.length > 0 || evenEmpty) {
            tag(field, LENGTH_DELIMITED);
            raw(value.length);
            out.writeBytes(value);
        }
        return this;
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    private void raw(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
