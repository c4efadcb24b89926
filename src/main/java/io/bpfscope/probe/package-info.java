/**
 * bpfscope's bundled BPF objects: the start-up checks, the path each
 * takes on this kernel, loading and attaching them, and the typed names of
 * their programs and maps.
 *
 * <p>Depends on: buffer, config, event, histogram, kernel, libbpf, perf, ringbuf, sys.
 */
package io.bpfscope.probe;
