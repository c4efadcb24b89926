/**
 * Per-CPU perf buffers, for kernels without BPF ring buffers: opened through
 * libbpf, read from their memory mappings with no system call per record.
 *
 * <p>Depends on: buffer, libbpf, sys.
 */
package io.bpfscope.perf;
