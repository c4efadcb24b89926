/**
 * The benchmark harness (bench/harness): scenarios of workloads run under
 * configurations round by round, the daemon started, waited for and stopped
 * as the tests do, the statistics and the targets judged, and a report per
 * run. Its own statistics and verdicts have kernel-free tests here; the
 * figures themselves come only from real runs on a quiet machine.
 *
 * <p>Depends on: kernel, libbpf, probe (the bundled objects' typed names),
 * testing.
 */
package io.bpfscope.bench;
