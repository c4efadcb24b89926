/**
 * Readiness and liveness: the probes loaded and attached, the readers
 * running and keeping up.
 */
package io.bpfscope.health;
