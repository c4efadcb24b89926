/**
 * The system libbpf through Panama FFM: objects, programs, maps, ring and
 * perf buffers, BTF and the kernel feature probes, with nothing of the
 * daemon's own logic.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.libbpf;
