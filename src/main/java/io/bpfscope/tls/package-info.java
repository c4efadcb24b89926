/**
 * HTTPS for the API, /events and the metrics: bpfscope.tls.* given as the
 * Quarkus TLS registry's settings, the certificate files checked before
 * Quarkus reads them, and reloaded when they change. Depends on the probe
 * package only for its one-line start-up failure and the start-up order.
 */
package io.bpfscope.tls;
