/**
 * The ids of /events messages: what they are made of, how a client's
 * {@code Last-Event-ID} is read back (this instance, an earlier one on this
 * node, or unknown), and the mark in the state directory that keeps them
 * growing across restarts.
 *
 * <p>Depends on: event, filter, reader, state.
 */
package io.bpfscope.eventid;
