package io.bpfscope.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cgroup paths as the runtimes and kubelet make them, v1 and v2, cgroupfs and systemd drivers. */
class CgroupContainerTest {

    private static final String ID = "4c2a8e1f0b9d7c6a5e4f3d2c1b0a99887766554433221100ffeeddccbbaa0011";
    private static final String UID = "0d5c1d2e-7a3b-4c8d-9e0f-112233445566";
    private static final String UID_ = UID.replace('-', '_');

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", nullValues = "-", textBlock = """
            # path                                                                                              | runtime    | pod
            /docker/ID                                                                                          | DOCKER     | -
            /system.slice/docker-ID.scope                                                                       | DOCKER     | -
            /kubepods/besteffort/podUID/ID                                                                      | -          | UID
            /kubepods/burstable/podUID/ID                                                                       | -          | UID
            /kubepods/podUID/ID                                                                                 | -          | UID
            /kubepods/burstable/podUID/crio-ID                                                                  | CRIO       | UID
            /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podUID_.slice/cri-containerd-ID.scope | CONTAINERD | UID
            /kubepods.slice/kubepods-podUID_.slice/cri-containerd-ID.scope                                      | CONTAINERD | UID
            /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/crio-ID.scope             | CRIO       | UID
            /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/docker-ID.scope           | DOCKER     | UID
            /kubepods-burstable-podUID_.slice:cri-containerd:ID                                                 | CONTAINERD | UID
            /system.slice/containerd.service/kubepods-besteffort-podUID_.slice:cri-containerd:ID                | CONTAINERD | UID
            /docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/kubepods/besteffort/podUID/ID | -     | UID
            /kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-podUID_.slice/cri-containerd-ID.scope | CONTAINERD | UID
            /docker/ID/init.scope                                                                               | DOCKER     | -
            """)
    void containersAreFoundWithTheirRuntimeAndPod(String path, String runtime, String pod) {
        assertThat(CgroupContainer.of(path.replace("UID_", UID_).replace("UID", UID).replace("ID", ID)))
                .contains(new CgroupContainer(ID, Optional.ofNullable(runtime).map(ContainerRuntime::valueOf),
                        Optional.ofNullable(pod).map(any -> UID)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", textBlock = """
            /
            /user.slice/user-0.slice/session-3.scope
            /system.slice/docker.service
            /system.slice/containerd.service
            /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podUID_.slice/crio-conmon-ID.scope
            /kubepods/burstable/podUID/crio-conmon-ID
            /kubepods/burstable/podUID
            /init.scope
            /ID
            /docker/not-an-id
            """)
    void hostCgroupsAndRuntimeHelpersNameNoContainer(String path) {
        assertThat(CgroupContainer.of(path.replace("UID_", UID_).replace("UID", UID).replace("ID", ID))).isEmpty();
    }
}
