package io.bpfscope.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program of a {@link BpfObject}; valid while the object is open. */
public final class BpfProgram {

    private final BpfObject owner;
    private final MemorySegment program;

    BpfProgram(BpfObject owner, MemorySegment program) {
        this.owner = owner;
        this.program = program;
    }

    public String name() {
        owner.ensureOpen();
        try {
            return Libbpf.string((MemorySegment) Libbpf.PROGRAM_NAME.invokeExact(program));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The program's fd once loaded; its kernel id is what bpftool lists. */
    public int fd() {
        owner.ensureOpen();
        try {
            return (int) Libbpf.PROGRAM_FD.invokeExact(program);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Attaches where the program's SEC() says (tp/syscalls/... here). The link
     * is destroyed when closed, or when its object closes.
     */
    public BpfLink attach() {
        owner.ensureOpen();
        try (Arena call = Arena.ofConfined(); LibbpfLog.Capture capture = LibbpfLog.capture()) {
            MemorySegment errno = Native.errnoSegment(call);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(errno, program);
            if (link.equals(MemorySegment.NULL)) {
                throw new LibbpfException("bpf_program__attach(" + name() + ")", Native.errno(errno), capture.take());
            }
            BpfLink attached = new BpfLink(name(), link);
            owner.register(attached);
            return attached;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name() + "]";
    }
}
