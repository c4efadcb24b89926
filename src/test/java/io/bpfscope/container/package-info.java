/**
 * The container image: built by the real Docker engine and run as the
 * DaemonSet runs it, with the host's BPF, tracefs and cgroup mounts.
 *
 * <p>Depends on: attribution.cri, testing.
 */
package io.bpfscope.container;
