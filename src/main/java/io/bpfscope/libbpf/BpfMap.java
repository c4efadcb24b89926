package io.bpfscope.libbpf;

import io.bpfscope.sys.Libc;
import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A map of a {@link BpfObject}, valid while the object is open. Keys and
 * values are memory segments of the map's key and value size; for per-CPU
 * maps a value holds one 8-byte-aligned slot per possible CPU
 * ({@link #valueBufferSize()}).
 */
public final class BpfMap {

    /** enum bpf_map_type. */
    public static final int TYPE_HASH = 1;
    public static final int TYPE_ARRAY = 2;
    public static final int TYPE_PERF_EVENT_ARRAY = 4;
    public static final int TYPE_PERCPU_HASH = 5;
    public static final int TYPE_PERCPU_ARRAY = 6;
    public static final int TYPE_LRU_HASH = 9;
    public static final int TYPE_LRU_PERCPU_HASH = 10;
    public static final int TYPE_QUEUE = 22;
    public static final int TYPE_RINGBUF = 27;
    public static final int TYPE_TASK_STORAGE = 29;

    /** Flags of update(): create or replace, create only, replace only. */
    public static final long ANY = 0;
    public static final long NO_EXIST = 1;
    public static final long EXIST = 2;

    private static final int ENOENT = 2;
    private static final int ENOSPC = 28;

    private final BpfObject owner;
    private final String name;
    private final MemorySegment map;

    BpfMap(BpfObject owner, String name, MemorySegment map) {
        this.owner = owner;
        this.name = name;
        this.map = map;
    }

    public String name() {
        return name;
    }

    public int fd() {
        return intProperty(Libbpf.MAP_FD);
    }

    public int type() {
        return intProperty(Libbpf.MAP_TYPE);
    }

    public int keySize() {
        return intProperty(Libbpf.MAP_KEY_SIZE);
    }

    public int valueSize() {
        return intProperty(Libbpf.MAP_VALUE_SIZE);
    }

    public int maxEntries() {
        return intProperty(Libbpf.MAP_MAX_ENTRIES);
    }

    public boolean isPerCpu() {
        int type = type();
        return type == TYPE_PERCPU_HASH || type == TYPE_PERCPU_ARRAY || type == TYPE_LRU_PERCPU_HASH;
    }

    /** Bytes a lookup or update value must have: one aligned slot per possible CPU for per-CPU maps. */
    public long valueBufferSize() {
        return isPerCpu() ? perCpuStride() * PossibleCpus.COUNT : valueSize();
    }

    /** Distance between two CPUs' values in a per-CPU value buffer. */
    public long perCpuStride() {
        return (valueSize() + 7L) & ~7L;
    }

    public static int possibleCpus() {
        return PossibleCpus.COUNT;
    }

    /** Before load only: entries of a hash or array, bytes of a ring buffer. */
    public void setMaxEntries(int maxEntries) {
        owner.ensureOpen();
        int rc = Native.callInt(() -> (int) Libbpf.MAP_SET_MAX_ENTRIES.invokeExact(map, maxEntries));
        check("bpf_map__set_max_entries", rc);
    }

    /**
     * Before load only: the map's initial contents (of a .data, .rodata or
     * .rodata.* section), writable in place; what is written here is what the
     * kernel map starts with.
     */
    public MemorySegment initialValue() {
        owner.ensureOpen();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment size = call.allocate(ValueLayout.JAVA_LONG);
            MemorySegment data = Native.call(() -> (MemorySegment) Libbpf.MAP_INITIAL_VALUE.invokeExact(map, size));
            if (data.equals(MemorySegment.NULL)) {
                throw new IllegalStateException(this + " has no initial value (not a data section, or loaded)");
            }
            return data.reinterpret(size.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    /** Before load only: whether load creates this map (a map the kernel cannot have is left out). */
    public void setAutocreate(boolean create) {
        owner.ensureOpen();
        int rc = Native.callInt(() -> (int) Libbpf.MAP_SET_AUTOCREATE.invokeExact(map, create));
        check("bpf_map__set_autocreate", rc);
    }

    /**
     * Maps a BPF_F_MMAPABLE array's values into this process, read-write, for
     * as long as {@code arena} is open: reads and atomic updates then need no
     * system call.
     */
    public MemorySegment mapValues(Arena arena) {
        long page = Libc.pageSize();
        long bytes = ((long) valueSize() * maxEntries() + page - 1) / page * page;
        return Libc.mmap(arena, bytes, Libc.PROT_READ | Libc.PROT_WRITE, fd(), 0);
    }

    /** Copies the value for key into value; false when the key is absent. */
    public boolean lookup(MemorySegment key, MemorySegment value) {
        owner.ensureOpen();
        int rc = Native.callInt(
                () -> (int) Libbpf.MAP_LOOKUP.invokeExact(map, key, key.byteSize(), value, value.byteSize(), 0L));
        return found("bpf_map__lookup_elem", rc);
    }

    public void update(MemorySegment key, MemorySegment value, long flags) {
        owner.ensureOpen();
        int rc = Native.callInt(
                () -> (int) Libbpf.MAP_UPDATE.invokeExact(map, key, key.byteSize(), value, value.byteSize(), flags));
        check("bpf_map__update_elem", rc);
    }

    /** False when the key was absent. */
    public boolean delete(MemorySegment key) {
        owner.ensureOpen();
        int rc = Native.callInt(() -> (int) Libbpf.MAP_DELETE.invokeExact(map, key, key.byteSize(), 0L));
        return found("bpf_map__delete_elem", rc);
    }

    /**
     * Writes the key after {@code key} (the first key when {@code key} is
     * NULL) into {@code next}; false after the last.
     */
    public boolean nextKey(MemorySegment key, MemorySegment next) {
        owner.ensureOpen();
        int rc = Native.callInt(() -> (int) Libbpf.MAP_NEXT_KEY.invokeExact(map, key, next, next.byteSize()));
        return found("bpf_map__get_next_key", rc);
    }

    /**
     * Every key of a hash, each copied into {@code arena}: a walk that
     * deletes as it goes would lose its place.
     */
    public List<MemorySegment> keys(Arena arena) {
        List<MemorySegment> keys = new ArrayList<>();
        MemorySegment previous = MemorySegment.NULL;
        MemorySegment next = arena.allocate(keySize(), 8);
        while (nextKey(previous, next)) {
            MemorySegment key = arena.allocate(keySize(), 8);
            MemorySegment.copy(next, 0, key, 0, key.byteSize());
            keys.add(key);
            previous = key;
        }
        return keys;
    }

    /**
     * The values of array entries {@code first} to {@code first + count - 1}
     * into {@code values}, one value buffer (see valueBufferSize) after the
     * other: in as few system calls as the kernel allows when {@code batch}
     * (BPF_MAP_LOOKUP_BATCH; 5.13 for per-CPU arrays), else one per entry.
     */
    public void readRange(int first, int count, MemorySegment values, boolean batch) {
        owner.ensureOpen();
        long bytes = valueBufferSize();
        if (!batch) {
            try (Arena call = Arena.ofConfined()) {
                MemorySegment key = call.allocate(ValueLayout.JAVA_INT);
                for (int i = 0; i < count; i++) {
                    key.set(ValueLayout.JAVA_INT, 0, first + i);
                    if (!lookup(key, values.asSlice(i * bytes, bytes))) {
                        throw new IllegalArgumentException(this + " has no entry " + (first + i));
                    }
                }
            }
            return;
        }
        try (Arena call = Arena.ofConfined()) {
            // An array's batch position is the last key read: the batch starts after it, or at 0 from NULL.
            MemorySegment cursor = call.allocateFrom(ValueLayout.JAVA_INT, first - 1);
            MemorySegment next = call.allocate(ValueLayout.JAVA_INT);
            MemorySegment keys = call.allocate(ValueLayout.JAVA_INT, count);
            MemorySegment taken = call.allocate(ValueLayout.JAVA_INT);
            int read = 0;
            while (read < count) {
                taken.set(ValueLayout.JAVA_INT, 0, count - read);
                MemorySegment into = values.asSlice(read * bytes);
                MemorySegment after = first + read == 0 ? MemorySegment.NULL : cursor;
                int rc = Native.callInt(() -> (int) Libbpf.MAP_LOOKUP_BATCH.invokeExact(fd(), after, next, keys, into,
                        taken, MemorySegment.NULL));
                int got = taken.get(ValueLayout.JAVA_INT, 0);
                if (rc < 0 && rc != -ENOENT) {
                    check("bpf_map_lookup_batch", rc);
                }
                if (got == 0) {
                    throw new IllegalArgumentException(this + " has no entry " + (first + read));
                }
                read += got;
                cursor.set(ValueLayout.JAVA_INT, 0, next.get(ValueLayout.JAVA_INT, 0));
            }
        }
    }

    /** Every entry of a hash: its keys and values, side by side, in {@code arena}. */
    public Entries entries(Arena arena, boolean batch) {
        owner.ensureOpen();
        int capacity = maxEntries();
        MemorySegment keys = arena.allocate((long) keySize() * capacity, 8);
        MemorySegment values = arena.allocate(valueBufferSize() * capacity, 8);
        if (!batch) {
            int count = 0;
            for (MemorySegment key : keys(arena)) {
                MemorySegment value = values.asSlice(count * valueBufferSize(), valueBufferSize());
                if (lookup(key, value)) {
                    MemorySegment.copy(key, 0, keys, (long) count * keySize(), keySize());
                    count++;
                }
            }
            return new Entries(keys, values, count, keySize(), valueBufferSize());
        }
        try (Arena call = Arena.ofConfined()) {
            // A hash's batch position is a bucket index; a key's room is ample for it.
            MemorySegment cursor = call.allocate(Math.max(keySize(), 8), 8);
            MemorySegment next = call.allocate(Math.max(keySize(), 8), 8);
            MemorySegment taken = call.allocate(ValueLayout.JAVA_INT);
            int count = 0;
            boolean started = false;
            while (count < capacity) {
                taken.set(ValueLayout.JAVA_INT, 0, capacity - count);
                MemorySegment from = started ? cursor : MemorySegment.NULL;
                MemorySegment keysAt = keys.asSlice((long) count * keySize());
                MemorySegment valuesAt = values.asSlice(count * valueBufferSize());
                int rc = Native.callInt(() -> (int) Libbpf.MAP_LOOKUP_BATCH.invokeExact(fd(), from, next, keysAt, valuesAt,
                        taken, MemorySegment.NULL));
                count += taken.get(ValueLayout.JAVA_INT, 0);
                // ENOSPC: a bucket holds more than the room left, which only entries added meanwhile can make.
                if (rc == -ENOENT || rc == -ENOSPC) {
                    break;
                }
                check("bpf_map_lookup_batch", rc);
                MemorySegment.copy(next, 0, cursor, 0, cursor.byteSize());
                started = true;
            }
            return new Entries(keys, values, count, keySize(), valueBufferSize());
        }
    }

    /** Entries of a map read at once: the i-th key and value buffer of {@code count}. */
    public record Entries(MemorySegment keys, MemorySegment values, int count, long keyBytes, long valueBytes) {

        public MemorySegment key(int i) {
            return keys.asSlice(i * keyBytes, keyBytes);
        }

        public MemorySegment value(int i) {
            return values.asSlice(i * valueBytes, valueBytes);
        }
    }

    /** Adds a value to a queue map. */
    public void push(MemorySegment value) {
        update(MemorySegment.NULL, value, ANY);
    }

    /** Sets a 4-byte-keyed, 8-byte-valued entry (array maps). */
    public void put(int key, long value) {
        try (Arena arena = Arena.ofConfined()) {
            update(arena.allocateFrom(ValueLayout.JAVA_INT, key), arena.allocateFrom(ValueLayout.JAVA_LONG, value), ANY);
        }
    }

    /** Sets a 4-byte-keyed, 4-byte-valued entry (array maps). */
    public void put(int key, int value) {
        try (Arena arena = Arena.ofConfined()) {
            update(arena.allocateFrom(ValueLayout.JAVA_INT, key), arena.allocateFrom(ValueLayout.JAVA_INT, value), ANY);
        }
    }

    /** The 8-byte value of a 4-byte key, or 0 when absent. */
    public long getLong(int key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            return lookup(arena.allocateFrom(ValueLayout.JAVA_INT, key), value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    /** The 4-byte value of a 4-byte key, or 0 when absent. */
    public int getInt(int key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            return lookup(arena.allocateFrom(ValueLayout.JAVA_INT, key), value) ? value.get(ValueLayout.JAVA_INT, 0) : 0;
        }
    }

    /** The sum over CPUs of the 8-byte field at {@code offset} of a per-CPU value; 0 when absent. */
    public long sumPerCpu(int key, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(valueBufferSize(), 8);
            return lookup(arena.allocateFrom(ValueLayout.JAVA_INT, key), value) ? sumPerCpu(value, offset) : 0;
        }
    }

    /** The sum over CPUs of the 8-byte field at {@code offset} of a per-CPU value buffer. */
    public long sumPerCpu(MemorySegment value, long offset) {
        long stride = perCpuStride();
        long sum = 0;
        for (int cpu = 0; cpu < PossibleCpus.COUNT; cpu++) {
            sum += value.get(ValueLayout.JAVA_LONG, cpu * stride + offset);
        }
        return sum;
    }

    /**
     * Adds, for each of {@code count} consecutive 8-byte fields from {@code offset} of a per-CPU
     * value buffer, its sum over CPUs to {@code sums[at + i]}: a row of counters in one pass.
     */
    public void sumPerCpu(MemorySegment value, long offset, long[] sums, int at, int count) {
        long stride = perCpuStride();
        for (int cpu = 0; cpu < PossibleCpus.COUNT; cpu++) {
            long base = cpu * stride + offset;
            for (int i = 0; i < count; i++) {
                sums[at + i] += value.get(ValueLayout.JAVA_LONG, base + 8L * i);
            }
        }
    }

    private int intProperty(MethodHandle property) {
        owner.ensureOpen();
        return Native.callInt(() -> (int) property.invokeExact(map));
    }

    private boolean found(String operation, int rc) {
        if (rc == -ENOENT) {
            return false;
        }
        check(operation, rc);
        return true;
    }

    private void check(String operation, int rc) {
        if (rc < 0) {
            throw LibbpfException.ofReturn(operation + "(" + name + ")", rc, List.of());
        }
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }

    /** Read once: the possible-CPU count does not change while the process runs. */
    private static final class PossibleCpus {
        static final int COUNT = Libbpf.possibleCpus();
    }
}
