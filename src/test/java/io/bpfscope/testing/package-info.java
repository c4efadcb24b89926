/**
 * What the tests share: the packaged daemon as a process, its scrapes and
 * SSE clients, writers and exec loops, certificates, and real servers
 * (Prometheus, Alertmanager, Docker, containerd) run for a test.
 *
 * <p>Depends on: attribution, attribution.cri, buffer, event, probe.
 */
package io.bpfscope.testing;
