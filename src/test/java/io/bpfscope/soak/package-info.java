/**
 * The short soak of the test suite: the packaged daemon streaming every
 * write of a traced writer to many clients, checked for exact counts, told
 * losses and a live heap that does not grow.
 *
 * <p>Depends on: testing.
 */
package io.bpfscope.soak;
