package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.BpfProgram;
import io.bpfscope.libbpf.LibbpfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * One bundled BPF object (src/main/bpf/NAME.bpf.c, built into the jar):
 * opened, sized, loaded, then attached as a separate step so state (the PID
 * filter) can be put in its maps before any program runs. Closing detaches
 * and unloads everything.
 */
public abstract sealed class Probe implements AutoCloseable permits WriteProbe, ExecProbe {

    protected final BpfObject object;
    private final BpfMap drops;

    protected Probe(BpfObject object) {
        this.object = object;
        this.drops = object.map("drops");
    }

    /** Opens the bundled object, lets {@code configure} size its maps, and loads it. */
    protected static BpfObject load(String name, Consumer<BpfObject> configure) {
        BpfObject object = BpfObject.open("bpfscope_" + name, bundled(name));
        try {
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

    private static byte[] bundled(String name) {
        String resource = "/bpf/" + name + ".bpf.o";
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

    public String name() {
        return object.name();
    }

    public List<String> programNames() {
        return object.programs().stream().map(BpfProgram::name).toList();
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
