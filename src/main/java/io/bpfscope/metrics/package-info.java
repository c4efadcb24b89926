/**
 * The Prometheus exposition: the kernel's exact counts, the pipeline's
 * events and losses, and the programs' cost, read at scrape time.
 *
 * <p>Depends on: api, attribution, event, export, filter, histogram, libbpf, probe, reader, sys.
 */
package io.bpfscope.metrics;
