/**
 * The CRI's wire, as kubelet speaks it to containerd and CRI-O: gRPC calls
 * of {@code runtime.v1.RuntimeService} on a Unix socket, with the few
 * protobuf messages bpfscope needs encoded and decoded by field number.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.attribution.cri;
