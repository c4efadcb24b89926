/**
 * Readiness and liveness: the probes loaded and attached, the readers
 * running and keeping up.
 *
 * <p>Depends on: attribution, config, probe, reader.
 */
package io.bpfscope.health;
