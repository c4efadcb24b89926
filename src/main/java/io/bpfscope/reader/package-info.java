/**
 * The readers that drain the kernel's buffers on their own threads and hand
 * decoded events to the hub.
 *
 * <p>Depends on: attribution, buffer, config, event, probe, sys.
 */
package io.bpfscope.reader;
