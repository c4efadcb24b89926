/**
 * The Prometheus exposition: the kernel's exact counts, the pipeline's
 * events and losses, and the programs' cost, read at scrape time.
 */
package io.bpfscope.metrics;
