/**
 * The state directory ({@code bpfscope.filter.state-dir}): what the daemon
 * keeps on the node across restarts (the PID filter, the event id mark),
 * each file replaced atomically.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.state;
