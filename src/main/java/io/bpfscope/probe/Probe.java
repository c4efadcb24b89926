package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfLink;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.BpfProgram;
import io.bpfscope.libbpf.LibbpfException;
import io.bpfscope.libbpf.Libc;
import io.bpfscope.libbpf.PerfBuffer;
import io.bpfscope.libbpf.ProgramStats;
import io.bpfscope.libbpf.RecordSource;
import io.bpfscope.libbpf.RingBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;

/**
 * One bundled BPF object (from src/main/bpf/, built into the jar): opened,
 * configured, loaded, then attached as a separate step so state (the PID
 * filter) can be put in its maps before any program runs. Its
 * records leave through NAME_events (ring buffer) or NAME_perf (perf
 * buffer). Closing detaches and unloads everything.
 */
public abstract sealed class Probe implements AutoCloseable permits WriteProbe, ExecProbe {

    /** struct probe_config of bpfscope.h, in the object's .rodata.config. */
    private static final long WAKEUP_INTERVAL_NS = 0;
    private static final long WAKEUP_BYTES = 8;
    private static final long USE_PERF = 16;
    protected static final long COMM_SLOTS = 20;

    protected final BpfObject object;
    private final String name;
    private final BufferMode mode;
    private final int bufferBytes;
    private final BpfMap drops;

    protected Probe(BpfObject object, String name, Buffers buffers) {
        this.object = object;
        this.name = name;
        this.mode = buffers.mode();
        this.bufferBytes = buffers.bytes();
        this.drops = object.map("drops");
    }

    /** How this probe's records leave the kernel: mode (resolved), size, and how often they are polled. */
    public record Buffers(BufferMode mode, int bytes, Duration pollInterval) {
    }

    /**
     * Opens the bundled object built from src/main/bpf/SOURCE.bpf.c, writes
     * its probe_config, sizes its buffer, lets {@code configure} size the
     * rest, and loads it.
     */
    protected static BpfObject load(String name, String source, Buffers buffers, Consumer<BpfObject> configure) {
        BpfObject object = BpfObject.open("bpfscope_" + name, bundled(source));
        try {
            MemorySegment settings = object.map(".rodata.config").initialValue();
            settings.set(ValueLayout.JAVA_LONG, WAKEUP_INTERVAL_NS, buffers.pollInterval().toNanos());
            settings.set(ValueLayout.JAVA_LONG, WAKEUP_BYTES, buffers.bytes() / 4);
            settings.set(ValueLayout.JAVA_INT, USE_PERF, buffers.mode() == BufferMode.PERF ? 1 : 0);
            BpfMap ring = object.map(name + "_events");
            if (buffers.mode() == BufferMode.PERF) {
                if (BpfMap.kernelSupports(BpfMap.TYPE_RINGBUF)) {
                    ring.setMaxEntries(Libc.pageSize());
                } else {
                    ring.setAutocreate(false);
                }
            } else {
                ring.setMaxEntries(buffers.bytes());
            }
            configure.accept(object);
            object.load();
            return object;
        } catch (LibbpfException e) {
            object.close();
            String verifierLog = e.verifierLog();
            throw new StartupFailure("the kernel refused bpfscope's " + name + " program: " + e.getMessage()
                    + (verifierLog.isEmpty() ? "" : "\nverifier log:\n" + verifierLog), e);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    private static byte[] bundled(String source) {
        String resource = "/bpf/" + source + ".bpf.o";
        try (InputStream in = Probe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Attaches every program of the object to its tracepoint. */
    public void attach() {
        for (BpfProgram program : object.programs()) {
            try {
                program.attach();
            } catch (LibbpfException e) {
                throw new StartupFailure("cannot attach " + program.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Maps this probe's output buffer for reading. In perf mode the buffer
     * size is shared out among CPUs (a power of two of pages each), and the
     * kernel wakes the reader when a CPU's buffer is a quarter full.
     */
    public RecordSource events() {
        if (mode == BufferMode.PERF) {
            long page = Libc.pageSize();
            int pages = Integer.highestOneBit((int) Math.max(1, bufferBytes / page / BpfMap.possibleCpus()));
            return PerfBuffer.of(object.map(name + "_perf"), pages, Math.max(1, pages * page / 4));
        }
        return RingBuffer.of(object.map(name + "_events"));
    }

    public BufferMode mode() {
        return mode;
    }

    public String name() {
        return object.name();
    }

    public List<String> programNames() {
        return object.programs().stream().map(BpfProgram::name).toList();
    }

    /** A program of this object, by name (to attach it again, say, after its link was closed). */
    public BpfProgram program(String programName) {
        return object.program(programName);
    }

    /** Programs with no attached link: they no longer run. */
    public List<String> detachedPrograms() {
        Set<String> attached = object.links().stream().filter(BpfLink::isAttached).map(BpfLink::program)
                .collect(Collectors.toSet());
        return programNames().stream().filter(name -> !attached.contains(name)).toList();
    }

    /** The attached links, by program. */
    public List<BpfLink> links() {
        return object.links().stream().filter(BpfLink::isAttached).toList();
    }

    /** What the kernel counted for each program, by name (see {@link ProgramStats}). */
    public Map<String, ProgramStats> programStats() {
        Map<String, ProgramStats> stats = new LinkedHashMap<>();
        for (BpfProgram program : object.programs()) {
            stats.put(program.name(), program.stats());
        }
        return stats;
    }

    /** Records the programs could not deliver, for one {@link DropReason}, summed over CPUs. */
    public long drops(DropReason reason) {
        return drops.sumPerCpu(reason.index(), 0);
    }

    @Override
    public void close() {
        object.close();
    }
}
