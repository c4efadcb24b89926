/**
 * The entry point: runs Quarkus, which loads the probes, starts the readers
 * and serves the API, and turns SIGTERM and SIGINT into a clean stop.
 *
 * <p>Depends on: api.
 */
package io.bpfscope.app;
