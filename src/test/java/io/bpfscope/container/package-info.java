/**
 * The container image: built by the real Docker engine and run as the
 * DaemonSet runs it, with the host's BPF, tracefs and cgroup mounts.
 *
 * <p>Depends on: attribution.cri, bench (its workloads, and the limits run its
 * test shares with the harness), testing.
 */
package io.bpfscope.container;
