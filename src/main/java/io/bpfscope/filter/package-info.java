/**
 * The PID filter: which processes' writes are streamed, validated, saved,
 * and put in force in the write program's maps, followChildren's set kept by
 * the kernel beside it.
 *
 * <p>Depends on: config, libbpf, probe, state.
 */
package io.bpfscope.filter;
