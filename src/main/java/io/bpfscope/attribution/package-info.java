/**
 * Who did it: the container, pod and namespace of an event, resolved on the
 * node from the cgroup the kernel reports and the container runtime's own
 * records, with no API server.
 *
 * <p>Depends on: attribution.cri, config.
 */
package io.bpfscope.attribution;
