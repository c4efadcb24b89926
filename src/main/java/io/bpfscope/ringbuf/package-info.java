/**
 * BPF ring buffers (kernel 5.8 and later), read from their memory mapping
 * with no system call per record.
 *
 * <p>Depends on: buffer, libbpf, sys.
 */
package io.bpfscope.ringbuf;
