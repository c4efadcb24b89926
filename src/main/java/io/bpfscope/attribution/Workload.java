package io.bpfscope.attribution;

import java.util.Optional;

/** Who a process is, beyond its PID: its container, and that container's pod, if any. */
public record Workload(Container container, Optional<Pod> pod) {
}
