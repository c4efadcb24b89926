/**
 * Checks on the shape of the sources themselves: each main package's
 * declared dependencies are the ones it imports, and they form no cycle.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.structure;
