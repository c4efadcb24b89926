/**
 * The kernel's log2 histograms as read from BPF maps: counts by bucket index
 * (see HIST_INDEXES in bpfscope.h) and the sum of the values, and what each
 * index means in its unit.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.histogram;
