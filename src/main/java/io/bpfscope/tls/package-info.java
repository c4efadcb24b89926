/**
 * HTTPS for the API, /events and the metrics: bpfscope.tls.* given as the
 * Quarkus TLS registry's settings, the certificate files checked before
 * Quarkus reads them, and reloaded when they change.
 *
 * <p>Depends on: config, probe.
 */
package io.bpfscope.tls;
