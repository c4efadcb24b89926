/**
 * The packaged daemon under bad and hostile input: malformed HTTP, exec
 * floods, argv at every bound, slow and churning /events clients.
 *
 * <p>Depends on: testing.
 */
package io.bpfscope.robust;
