/**
 * What the running kernel offers bpfscope's programs, asked of the kernel
 * itself (libbpf's probes and its BTF, never the version, which backports
 * make lie), and the path each feature takes: the newer one where the
 * kernel has it, else the older one, or the older one where configured.
 *
 * <p>Depends on: libbpf.
 */
package io.bpfscope.kernel;
