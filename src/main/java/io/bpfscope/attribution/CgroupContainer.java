package io.bpfscope.attribution;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container a cgroup path names, as the runtimes and kubelet lay out
 * their cgroups on v1 and v2, under the cgroupfs and the systemd drivers:
 * <pre>
 * /docker/ID                                                   Docker, cgroupfs
 * /system.slice/docker-ID.scope                                Docker, systemd
 * /kubepods/QOS/podUID/ID                                      kubelet, cgroupfs (any runtime)
 * /kubepods.slice/kubepods-QOS.slice/kubepods-QOS-podUID.slice/cri-containerd-ID.scope
 * /kubepods.slice/.../kubepods-QOS-podUID.slice:cri-containerd:ID   containerd, cgroupfs names under systemd slices
 * /kubepods.slice/.../crio-ID.scope                            CRI-O (not crio-conmon-ID.scope, its monitor)
 * </pre>
 * Guaranteed pods have no QOS level. Systemd slice names spell the pod UID
 * with underscores. Where containers nest (a node in a container, as kind
 * runs them), the innermost container is the one meant.
 *
 * @param runtime the runtime the name shows, empty where it shows none (kubelet's cgroupfs layout)
 * @param podUid the UID of the pod the container belongs to, empty outside kubelet's layout
 */
public record CgroupContainer(String id, Optional<ContainerRuntime> runtime, Optional<String> podUid) {

    private static final String ID = "([0-9a-f]{64})";
    private static final String UID = "([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})";
    private static final Pattern SCOPE = Pattern.compile("(docker|cri-containerd|crio)-" + ID + "\\.scope");
    private static final Pattern SLICE_COLON = Pattern.compile("(?:.*-)?pod" + UID + "\\.slice:(cri-containerd|crio|docker):" + ID);
    private static final Pattern POD = Pattern.compile("(?:.*-)?pod" + UID + "(?:\\.slice)?");
    private static final Pattern CRIO_CGROUPFS = Pattern.compile("crio-" + ID);
    private static final Pattern BARE = Pattern.compile(ID);

    /** The container {@code path} (a cgroup's path from its hierarchy's root) names, if any. */
    public static Optional<CgroupContainer> of(String path) {
        Optional<CgroupContainer> found = Optional.empty();
        String pod = null;
        String parent = "";
        for (String name : path.split("/")) {
            Matcher m;
            if ((m = SLICE_COLON.matcher(name)).matches()) {
                found = Optional.of(new CgroupContainer(m.group(3), runtime(m.group(2)), Optional.of(uid(m.group(1)))));
                pod = null;
            } else if ((m = POD.matcher(name)).matches()) {
                pod = uid(m.group(1));
            } else if ((m = SCOPE.matcher(name)).matches()) {
                found = Optional.of(new CgroupContainer(m.group(2), runtime(m.group(1)), Optional.ofNullable(pod)));
                pod = null;
            } else if ((m = CRIO_CGROUPFS.matcher(name)).matches() && pod != null) {
                found = Optional.of(new CgroupContainer(m.group(1), Optional.of(ContainerRuntime.CRIO), Optional.of(pod)));
                pod = null;
            } else if ((m = BARE.matcher(name)).matches() && (pod != null || parent.equals("docker"))) {
                found = Optional.of(new CgroupContainer(m.group(1),
                        pod == null ? Optional.of(ContainerRuntime.DOCKER) : Optional.empty(), Optional.ofNullable(pod)));
                pod = null;
            }
            parent = name;
        }
        return found;
    }

    private static Optional<ContainerRuntime> runtime(String prefix) {
        return Optional.of(switch (prefix) {
            case "docker" -> ContainerRuntime.DOCKER;
            case "cri-containerd" -> ContainerRuntime.CONTAINERD;
            default -> ContainerRuntime.CRIO;
        });
    }

    private static String uid(String spelled) {
        return spelled.replace('_', '-');
    }
}
