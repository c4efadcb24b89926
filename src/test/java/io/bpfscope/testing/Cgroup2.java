package io.bpfscope.testing;

import io.bpfscope.attribution.CgroupTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cgroup made for a test in the machine's real cgroup2 hierarchy, and the
 * ids the kernel gives cgroups (the inode of their directory). Removed,
 * innermost first, on close; its processes must have exited by then.
 */
public final class Cgroup2 implements AutoCloseable {

    private final Path top;
    private final Path dir;

    private Cgroup2(Path top, Path dir) {
        this.top = top;
        this.dir = dir;
    }

    /** Where the cgroup2 hierarchy is mounted; fails loudly where none is. */
    public static Path mount() {
        try {
            return CgroupTree.cgroup2Mount(Files.readAllLines(Path.of("/proc/self/mountinfo"))).orElseThrow(
                    () -> new AssertionError("no cgroup2 hierarchy is mounted: mount one "
                            + "(mount -t cgroup2 none /sys/fs/cgroup/unified)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code relative} (and its parents) under the hierarchy's root. */
    public static Cgroup2 make(String relative) {
        Path root = mount();
        Path dir = root.resolve(relative);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Cgroup2(root.resolve(root.relativize(dir).getName(0)), dir);
    }

    /** The id of the cgroup process {@code pid} is in. */
    public static long idOf(long pid) {
        try {
            String path = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")).stream()
                    .filter(line -> line.startsWith("0::")).findFirst()
                    .orElseThrow(() -> new AssertionError("process " + pid + " is in no cgroup2 cgroup"))
                    .substring(3);
            return inode(mount().resolve(path.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long id() {
        return inode(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Moves process {@code pid} (all its threads) in. */
    public void add(long pid) {
        try {
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Path at = dir; at.startsWith(top); at = at.getParent()) {
            Files.deleteIfExists(at);
        }
    }

    private static long inode(Path path) {
        try {
            return (Long) Files.getAttribute(path, "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
