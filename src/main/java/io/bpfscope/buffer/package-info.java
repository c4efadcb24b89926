/**
 * What a reader of a kernel buffer sees, whichever kind the kernel has: a
 * {@link io.bpfscope.buffer.RecordSource} that hands each record in place
 * to a {@link io.bpfscope.buffer.RecordHandler}.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.buffer;
