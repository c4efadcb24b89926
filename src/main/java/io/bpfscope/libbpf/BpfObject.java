package io.bpfscope.libbpf;

import io.bpfscope.sys.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One BPF ELF object opened from memory with bpf_object__open_mem: its
 * programs, maps and the links attached through it. Closing it destroys
 * those links first (libbpf leaves links alone, and a live link keeps its
 * program attached), then the object; nothing it created outlives it.
 */
public final class BpfObject implements AutoCloseable {

    /** sizeof(struct bpf_object_open_opts) in libbpf 1.1; later versions accept this size. */
    private static final long OPEN_OPTS_SIZE = 80;
    private static final long OPEN_OPTS_OBJECT_NAME = 8;
    private static final long OPEN_OPTS_BTF_CUSTOM_PATH = 48;

    private final String name;
    private final Arena arena;
    private final MemorySegment object;
    private final List<BpfLink> links = new ArrayList<>();
    private boolean closed;

    private BpfObject(String name, Arena arena, MemorySegment object) {
        this.name = name;
        this.arena = arena;
        this.object = object;
    }

    /**
     * Opens an ELF object held in memory. Maps and programs can be adjusted
     * (e.g. {@link BpfMap#setMaxEntries}) until {@link #load()}.
     */
    public static BpfObject open(String name, byte[] elf) {
        return open(name, elf, Optional.empty());
    }

    /** The ELF of a bundled object: src/main/bpf/SOURCE.bpf.c as the build compiled it into the jar. */
    public static byte[] bundled(String source) {
        String resource = "/bpf/" + source + ".bpf.o";
        try (InputStream in = BpfObject.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same, relocated (CO-RE) against the BTF in {@code btf} instead of the running kernel's. */
    public static BpfObject open(String name, byte[] elf, Optional<Path> btf) {
        LibbpfLog.install();
        // Shared: readers on other threads use the maps; libbpf keeps a pointer to the ELF
        // bytes until load, so they live as long as the object.
        Arena arena = Arena.ofShared();
        try (LibbpfLog.Capture capture = LibbpfLog.capture()) {
            MemorySegment bytes = arena.allocate(Math.max(1, elf.length), 8);
            MemorySegment.copy(elf, 0, bytes, ValueLayout.JAVA_BYTE, 0, elf.length);
            MemorySegment opts = arena.allocate(OPEN_OPTS_SIZE, 8);
            opts.set(Native.C_LONG, 0, OPEN_OPTS_SIZE);
            opts.set(Native.C_POINTER, OPEN_OPTS_OBJECT_NAME, arena.allocateFrom(name));
            if (btf.isPresent()) {
                opts.set(Native.C_POINTER, OPEN_OPTS_BTF_CUSTOM_PATH, arena.allocateFrom(btf.get().toString()));
            }
            Native.Result<MemorySegment> opened = Native.callWithErrno(errno -> (MemorySegment)
                    Libbpf.OBJECT_OPEN_MEM.invokeExact(errno, bytes, (long) elf.length, opts));
            if (opened.value().equals(MemorySegment.NULL)) {
                throw new LibbpfException("bpf_object__open_mem(" + name + ")", opened.errno(), capture.take());
            }
            return new BpfObject(name, arena, opened.value());
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Creates the maps and loads every program; a verifier rejection carries the verifier log. */
    public void load() {
        ensureOpen();
        try (LibbpfLog.Capture capture = LibbpfLog.capture()) {
            int rc = Native.callInt(() -> (int) Libbpf.OBJECT_LOAD.invokeExact(object));
            if (rc < 0) {
                throw LibbpfException.ofReturn("bpf_object__load(" + name + ")", rc, capture.take());
            }
        }
    }

    public BpfProgram program(String programName) {
        ensureOpen();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment wanted = call.allocateFrom(programName);
            MemorySegment program = Native.call(() -> (MemorySegment) Libbpf.OBJECT_FIND_PROGRAM.invokeExact(object,
                    wanted));
            if (program.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("no program " + programName + " in BPF object " + name);
            }
            return new BpfProgram(this, program);
        }
    }

    public List<BpfProgram> programs() {
        ensureOpen();
        List<BpfProgram> programs = new ArrayList<>();
        for (MemorySegment program = nextProgram(MemorySegment.NULL); !program.equals(MemorySegment.NULL);
                program = nextProgram(program)) {
            programs.add(new BpfProgram(this, program));
        }
        return programs;
    }

    /** Names of the object's maps, libbpf's own for global data (".rodata" and the like) included. */
    public List<String> mapNames() {
        ensureOpen();
        List<String> names = new ArrayList<>();
        for (MemorySegment map = nextMap(MemorySegment.NULL); !map.equals(MemorySegment.NULL); map = nextMap(map)) {
            MemorySegment current = map;
            names.add(Native.string(Native.call(() -> (MemorySegment) Libbpf.MAP_NAME.invokeExact(current))));
        }
        return names;
    }

    /**
     * The map {@code spec} names, held to it: a map of another type or other
     * sizes is an object out of step with its Java side, a bug said here
     * rather than read as garbage later.
     */
    public BpfMap map(MapSpec spec) {
        BpfMap map = map(spec.name());
        String mismatch = spec.mismatch(map);
        if (!mismatch.isEmpty()) {
            throw new IllegalStateException("map " + spec.name() + " of BPF object " + name + " has " + mismatch);
        }
        return map;
    }

    public BpfMap map(String mapName) {
        ensureOpen();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment wanted = call.allocateFrom(mapName);
            MemorySegment map = Native.call(() -> (MemorySegment) Libbpf.OBJECT_FIND_MAP.invokeExact(object, wanted));
            if (map.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("no map " + mapName + " in BPF object " + name);
            }
            return new BpfMap(this, mapName, map);
        }
    }

    /** The object's BTF (struct btf *), or NULL when it has none. Valid until close. */
    private MemorySegment nextProgram(MemorySegment after) {
        return Native.call(() -> (MemorySegment) Libbpf.OBJECT_NEXT_PROGRAM.invokeExact(object, after));
    }

    private MemorySegment nextMap(MemorySegment after) {
        return Native.call(() -> (MemorySegment) Libbpf.OBJECT_NEXT_MAP.invokeExact(object, after));
    }

    MemorySegment btf() {
        ensureOpen();
        return Native.call(() -> (MemorySegment) Libbpf.OBJECT_BTF.invokeExact(object));
    }

    /** The links made through this object's programs, detached ones included. */
    public synchronized List<BpfLink> links() {
        return List.copyOf(links);
    }

    synchronized void register(BpfLink link) {
        ensureOpen();
        links.add(link);
    }

    synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    /** Destroys this object's links, then the object: its programs and maps leave the kernel. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        links.forEach(BpfLink::close);
        try {
            Native.run(() -> { Libbpf.OBJECT_CLOSE.invokeExact(object); });
        } finally {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + "]";
    }
}
