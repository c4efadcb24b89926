/**
 * The C library and system calls bpfscope makes through Panama FFM (mmap,
 * epoll and eventfd, the kernel clocks, mount, close) and the one way every
 * binding of bpfscope makes a downcall ({@link io.bpfscope.sys.Native}).
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.sys;
