package io.bpfscope.attribution;

/** The runtimes whose cgroup names bpfscope reads a container id from. */
public enum ContainerRuntime {
    DOCKER("docker"),
    CONTAINERD("containerd"),
    CRIO("cri-o");

    private final String wireName;

    ContainerRuntime(String wireName) {
        this.wireName = wireName;
    }

    /** As in /events and the metrics. */
    public String wireName() {
        return wireName;
    }
}
