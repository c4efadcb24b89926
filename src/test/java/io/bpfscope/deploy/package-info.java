/**
 * What bpfscope ships beside the daemon: the Helm chart rendered and checked
 * against Kubernetes' schemas, the manifests, the Grafana dashboard, and the
 * alert rules and scrape configuration run by a real Prometheus, promtool
 * and Alertmanager.
 *
 * <p>Depends on: testing.
 */
package io.bpfscope.deploy;
