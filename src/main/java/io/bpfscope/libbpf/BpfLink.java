package io.bpfscope.libbpf;

import io.bpfscope.sys.Native;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** An attachment of a program; closing it detaches the program. */
public final class BpfLink implements AutoCloseable {

    private final String program;
    private final MemorySegment link;
    private final AtomicBoolean destroyed = new AtomicBoolean();

    BpfLink(String program, MemorySegment link) {
        this.program = program;
        this.link = link;
    }

    public String program() {
        return program;
    }

    public boolean isAttached() {
        return !destroyed.get();
    }

    /** Detaches the program; further calls do nothing. */
    @Override
    public void close() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        int rc = Native.callInt(() -> (int) Libbpf.LINK_DESTROY.invokeExact(link));
        if (rc < 0) {
            throw LibbpfException.ofReturn("bpf_link__destroy(" + program + ")", rc, List.of());
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + program + (isAttached() ? "" : ", destroyed") + "]";
    }
}
