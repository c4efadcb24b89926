/**
 * The live view at {@code /}: a page served by the daemon from its jar, with
 * no inline script and a Content-Security-Policy that allows none, reading
 * the /events stream and the daemon's own endpoints as any client does.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.ui;
