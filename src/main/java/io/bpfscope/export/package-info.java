/**
 * The durable export of events for log pipelines: every event a filter
 * lets through, as one JSON line (the {@code data:} of /events), to stdout
 * and/or a file rotated by size, written by one thread that never holds up
 * the readers.
 *
 * <p>Depends on: config, event, probe, reader.
 */
package io.bpfscope.export;
