/**
 * The readers that drain the kernel's buffers on their own threads and hand
 * decoded events to the hub.
 */
package io.bpfscope.reader;
