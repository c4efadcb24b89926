package io.bpfscope.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real cgroup2 hierarchy of this machine: cgroups made here, found by the inode the kernel gives as their id. */
class CgroupTreeTest {

    private static final String ID = "4c2a8e1f0b9d7c6a5e4f3d2c1b0a99887766554433221100ffeeddccbbaa0011";
    private static final int SELF = (int) ProcessHandle.current().pid();
    private static Path mount;
    private Path made;

    @BeforeAll
    static void cgroup2() throws Exception {
        Kernel.requireRoot();
        mount = CgroupTree.cgroup2Mount(Files.readAllLines(Path.of("/proc/self/mountinfo"))).orElseThrow(
                () -> new AssertionError("no cgroup2 hierarchy is mounted: mount one (mount -t cgroup2 none /sys/fs/cgroup/unified)"));
    }

    @AfterEach
    void removeWhatWasMade() throws Exception {
        // Innermost first: cgroups are removed with rmdir, one level at a time.
        for (Path dir = made; dir != null && dir.startsWith(mount) && !dir.equals(mount); dir = dir.getParent()) {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aNewCgroupIsFoundByItsInodeOnceTheNextWalkIsDue() throws Exception {
        AtomicLong now = new AtomicLong();
        CgroupTree tree = new CgroupTree(mount, 100_000, 1_000_000_000L, now::get);
        assertThat(tree.path(rootInode(), SELF)).contains("/");

        String relative = "/bpfscope-test/kubepods/besteffort/pod0d5c1d2e-7a3b-4c8d-9e0f-112233445566/" + ID;
        made = Files.createDirectories(mount.resolve(relative.substring(1)));
        long id = (Long) Files.getAttribute(made, "unix:ino");
        assertThat(tree.path(id, SELF)).as("walked less than a second ago").isEmpty();
        now.addAndGet(1_000_000_000L);
        assertThat(tree.path(id, SELF)).contains(relative);
        assertThat(tree.path(id, SELF).flatMap(CgroupContainer::of)).map(CgroupContainer::id).contains(ID);
    }

    @Test
    void aCgroupMadeSinceTheLastWalkIsFoundThroughAProcessInIt() throws Exception {
        CgroupTree tree = new CgroupTree(mount, 100_000, 60_000_000_000L, System::nanoTime);
        assertThat(tree.path(rootInode(), SELF)).contains("/");
        made = Files.createDirectories(mount.resolve("bpfscope-test/docker/" + ID));
        long id = (Long) Files.getAttribute(made, "unix:ino");
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(made.resolve("cgroup.procs"), Long.toString(sleeper.pid()));

            assertThat(tree.path(id, SELF)).as("this process is elsewhere, and the next walk is a minute away").isEmpty();
            assertThat(tree.path(id, (int) sleeper.pid())).contains("/bpfscope-test/docker/" + ID);
            assertThat(tree.path(id, SELF)).as("kept once found").contains("/bpfscope-test/docker/" + ID);
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aTreeLargerThanTheCapIsIndexedInPartAndSaysHowMuchIsLeftOut() throws Exception {
        made = Files.createDirectories(mount.resolve("bpfscope-test/a"));
        CgroupTree tree = new CgroupTree(mount, 1, 0, System::nanoTime);
        assertThat(tree.path(rootInode(), SELF)).contains("/");
        assertThat(tree.leftOut()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theCgroup2MountIsReadFromMountinfo() {
        List<String> hybrid = List.of(
                "30 24 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
                "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw",
                "32 30 0:28 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory");
        assertThat(CgroupTree.cgroup2Mount(hybrid)).contains(Path.of("/sys/fs/cgroup/unified"));
        // A container's own view (a cgroup namespace's root) is not the node's tree.
        List<String> nested = List.of("40 30 0:27 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw");
        assertThat(CgroupTree.cgroup2Mount(nested)).isEmpty();
    }

    private static long rootInode() throws Exception {
        return (Long) Files.getAttribute(mount, "unix:ino");
    }
}
