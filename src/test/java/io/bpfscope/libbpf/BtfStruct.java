package io.bpfscope.libbpf;

import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/** A struct as clang laid it out, read from an object's BTF: its size and member byte offsets. */
public record BtfStruct(long size, Map<String, Long> offsets) {

    private static final int KIND_STRUCT = 4;
    /** struct btf_type: name_off, info, size; then vlen struct btf_member: name_off, type, offset. */
    private static final long TYPE_HEADER = 12;
    private static final long MEMBER = 12;

    public static BtfStruct of(BpfObject object, String name) {
        MemorySegment btf = object.btf();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wanted = arena.allocateFrom(name);
            int id = Native.callInt(() -> (int) Libbpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, wanted, KIND_STRUCT));
            if (id < 0) {
                throw new IllegalArgumentException("no struct " + name + " in the BTF of " + object.name());
            }
            MemorySegment type = Native.call(() -> (MemorySegment) Libbpf.BTF_TYPE_BY_ID.invokeExact(btf, id))
                    .reinterpret(TYPE_HEADER);
            int info = type.get(ValueLayout.JAVA_INT, 4);
            int members = info & 0xffff;
            boolean bitfieldEncoding = info < 0;
            MemorySegment all = type.reinterpret(TYPE_HEADER + members * MEMBER);
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < members; i++) {
                long at = TYPE_HEADER + i * MEMBER;
                int nameOffset = all.get(ValueLayout.JAVA_INT, at);
                int bits = all.get(ValueLayout.JAVA_INT, at + 8);
                String member = Native.string(Native.call(
                        () -> (MemorySegment) Libbpf.BTF_NAME_BY_OFFSET.invokeExact(btf, nameOffset)));
                offsets.put(member, (long) (bitfieldEncoding ? bits & 0xffffff : bits) / 8);
            }
            return new BtfStruct(Integer.toUnsignedLong(type.get(ValueLayout.JAVA_INT, 8)), offsets);
        }
    }

    /** A Java layout's members and their offsets, in the same form. */
    public static Map<String, Long> offsets(StructLayout layout) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (MemoryLayout member : layout.memberLayouts()) {
            String name = member.name().orElseThrow();
            offsets.put(name, layout.byteOffset(MemoryLayout.PathElement.groupElement(name)));
        }
        return offsets;
    }
}
