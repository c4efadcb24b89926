package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;

/** {@code bpfscope.buffer}: how records leave the kernel. */
public enum BufferMode {
    /** Ring buffers where the kernel has them (5.8+), perf buffers otherwise. */
    AUTO,
    /** One BPF ring buffer per program object, shared by all CPUs. */
    RINGBUF,
    /** One perf buffer per CPU per program object. */
    PERF;

    /** AUTO decided against the running kernel. */
    public BufferMode resolve() {
        if (this != AUTO) {
            return this;
        }
        return BpfMap.kernelSupports(BpfMap.TYPE_RINGBUF) ? RINGBUF : PERF;
    }
}
