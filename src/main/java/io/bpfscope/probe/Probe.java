package io.bpfscope.probe;

import io.bpfscope.buffer.RecordSource;
import io.bpfscope.event.EventType;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfLink;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.BpfProgram;
import io.bpfscope.libbpf.LibbpfException;
import io.bpfscope.libbpf.ProgramSpec;
import io.bpfscope.libbpf.ProgramStats;
import io.bpfscope.perf.PerfBuffer;
import io.bpfscope.ringbuf.RingBuffer;
import io.bpfscope.sys.Libc;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One bundled BPF object (from src/main/bpf/, built into the jar): opened,
 * configured, loaded, then attached as a separate step so state (the PID
 * filter) can be put in its maps before any program runs. Its
 * records leave through NAME_events (ring buffer) or NAME_perf (perf
 * buffer). Closing detaches and unloads everything.
 */
public abstract sealed class Probe implements AutoCloseable permits WriteProbe, ExecProbe {

    protected final BpfObject object;
    private final String name;
    private final BufferMode mode;
    private final int bufferBytes;
    private final DropCounts drops;

    /** {@code mappedState}: whether the kernel maps arrays into user memory (see {@link KernelFeature#FILTER_STATE}). */
    protected Probe(BpfObject object, String name, Buffers buffers, boolean mappedState) {
        this.object = object;
        this.name = name;
        this.mode = buffers.mode();
        this.bufferBytes = buffers.bytes();
        try {
            this.drops = new DropCounts(object.map(ObjectMaps.DROPS), mappedState);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** How this probe's records leave the kernel: mode (ring or perf), size, and how often they are polled. */
    public record Buffers(BufferMode mode, int bytes, Duration pollInterval) {

        Buffers(KernelPaths paths, int bytes, Duration pollInterval) {
            this(paths.newer(KernelFeature.BUFFER) ? BufferMode.RINGBUF : BufferMode.PERF, bytes, pollInterval);
        }
    }

    /**
     * Opens the bundled object built from src/main/bpf/SOURCE.bpf.c against
     * the kernel's BTF (or the file given for it), writes its probe_config,
     * keeps only {@code programs} of its programs, sizes its buffer (the one
     * not used is never created), lets {@code configure} size the rest, and
     * loads it.
     */
    protected static BpfObject load(String name, String source, Buffers buffers, KernelPaths paths,
            List<ProgramSpec> programs, Consumer<BpfObject> configure) {
        BpfObject object = BpfObject.open("bpfscope_" + name, BpfObject.bundled(source), paths.btfFile());
        try {
            ProbeSettings.write(object.map(ObjectMaps.CONFIG).initialValue(), buffers.pollInterval(), buffers.bytes(),
                    paths);
            Set<String> loaded = programs.stream().map(ProgramSpec::name).collect(Collectors.toSet());
            for (BpfProgram program : object.programs()) {
                program.setAutoload(loaded.contains(program.name()));
            }
            if (buffers.mode() == BufferMode.PERF) {
                object.map(ObjectMaps.events(name)).setAutocreate(false);
            } else {
                object.map(ObjectMaps.events(name)).setMaxEntries(buffers.bytes());
                object.map(ObjectMaps.perf(name)).setAutocreate(false);
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

    /** The programs loaded: those of the object this kernel's paths take. */
    private List<BpfProgram> programs() {
        return object.programs().stream().filter(BpfProgram::autoload).toList();
    }

    /** Attaches every loaded program to its hook. */
    public void attach() {
        for (BpfProgram program : programs()) {
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
            return PerfBuffer.of(object.map(ObjectMaps.perf(name)), pages, Math.max(1, pages * page / 4));
        }
        return RingBuffer.of(object.map(ObjectMaps.events(name)));
    }

    public BufferMode mode() {
        return mode;
    }

    public String name() {
        return object.name();
    }

    public List<String> programNames() {
        return programs().stream().map(BpfProgram::name).toList();
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
        for (BpfProgram program : programs()) {
            stats.put(program.name(), program.stats());
        }
        return stats;
    }

    /** Records the programs could not deliver, for one {@link DropReason}. */
    public long drops(DropReason reason) {
        return drops.all()[reason.ordinal()];
    }

    /** Every drop counter, by {@link DropReason#ordinal()}: as cheap as a memory read where the state is mapped. */
    public long[] drops() {
        return drops.all();
    }

    /** The type of event this probe's main records are: what a {@link DropReason#BUFFER_FULL} drop was. */
    public abstract EventType mainType();

    @Override
    public void close() {
        drops.close();
        object.close();
    }
}
