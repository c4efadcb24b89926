/**
 * The packaged daemon as a process: start-up and shutdown, its AOT cache,
 * argv modes, and the pod attribution of its events under real container
 * runtimes.
 *
 * <p>Depends on: testing.
 */
package io.bpfscope.daemon;
