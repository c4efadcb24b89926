package io.bpfscope.attribution;

/** The pod a container belongs to, from the labels kubelet puts on every container it makes. */
public record Pod(String name, String namespace, String uid) {
}
