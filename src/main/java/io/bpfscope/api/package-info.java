/**
 * The HTTP API: the /events stream of Server-Sent Events with its filters,
 * the PID filter's REST resource, and the problem+json answers to bad requests.
 *
 * <p>Depends on: attribution, event, eventid, filter, kernel, probe, reader.
 */
package io.bpfscope.api;
