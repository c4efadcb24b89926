package io.bpfscope.probe;

/** {@code bpfscope.buffer}: how records leave the kernel. */
public enum BufferMode {
    /** Ring buffers where the kernel has them (5.8+), perf buffers otherwise. */
    AUTO,
    /** One BPF ring buffer per program object, shared by all CPUs; refused at start-up by a kernel without them. */
    RINGBUF,
    /** One perf buffer per CPU per program object. */
    PERF
}
