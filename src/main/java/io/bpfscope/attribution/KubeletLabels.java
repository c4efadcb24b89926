package io.bpfscope.attribution;

import java.util.Map;
import java.util.Optional;

/** The labels kubelet puts on every container it makes, through any runtime. */
final class KubeletLabels {

    private KubeletLabels() {
    }

    /** The pod the labels name, when all three of its labels are there. */
    static Optional<Pod> pod(Map<String, String> labels) {
        Optional<String> name = label(labels, "io.kubernetes.pod.name");
        Optional<String> namespace = label(labels, "io.kubernetes.pod.namespace");
        Optional<String> uid = label(labels, "io.kubernetes.pod.uid");
        if (name.isEmpty() || namespace.isEmpty() || uid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pod(name.get(), namespace.get(), uid.get()));
    }

    /** The container's name in its pod's spec. */
    static Optional<String> containerName(Map<String, String> labels) {
        return label(labels, "io.kubernetes.container.name");
    }

    private static Optional<String> label(Map<String, String> labels, String key) {
        return Optional.ofNullable(labels.get(key)).filter(value -> !value.isEmpty());
    }
}
