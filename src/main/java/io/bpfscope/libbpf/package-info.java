/**
 * The system libbpf through Panama FFM: objects, programs, links, maps, BTF
 * and the kernel feature probes, with nothing of the daemon's own logic.
 *
 * <p>Depends on: sys.
 */
package io.bpfscope.libbpf;
