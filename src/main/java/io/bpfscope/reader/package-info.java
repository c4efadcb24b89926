/**
 * The readers that drain the kernel's buffers on their own threads and hand
 * decoded events to the hub.
 *
 * <p>Depends on: attribution, config, event, libbpf, probe.
 */
package io.bpfscope.reader;
