package io.bpfscope.attribution;

/**
 * A container as its runtime knows it.
 *
 * @param name kubelet's name for it in its pod where kubelet made it, else the runtime's
 */
public record Container(String id, String name, String image, ContainerRuntime runtime) {
}
