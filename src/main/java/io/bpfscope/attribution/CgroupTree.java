package io.bpfscope.attribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * cgroup ids to paths. The id the kernel reports (bpf_get_current_cgroup_id)
 * is the inode of the cgroup's directory in the cgroup2 hierarchy, so
 * walking that tree gives every id its path. A miss walks it again, at most
 * once per {@code rescanNanos}: an id met before its cgroup's first walk
 * resolves on the next, and ids of no cgroup (gone, or never one) cost no
 * walk per event. At most {@code maxCgroups} are kept; a tree larger than
 * that is indexed in part, and the count of those left out is kept.
 */
public final class CgroupTree {

    private final Path root;
    private final int maxCgroups;
    private final long rescanNanos;
    private final LongSupplier nanoTime;
    private Map<Long, String> paths = new HashMap<>();
    private long lastScan;
    private boolean scanned;
    private long leftOut;

    public CgroupTree(Path root, int maxCgroups, long rescanNanos, LongSupplier nanoTime) {
        this.root = root;
        this.maxCgroups = maxCgroups;
        this.rescanNanos = rescanNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * The path of cgroup {@code id} from the hierarchy's root ("/" for the
     * root), if it is a cgroup here. A cgroup made since the last walk, when
     * the next is not yet due, is found through /proc/PID/cgroup of a process
     * in it, while that process lives.
     */
    public synchronized Optional<String> path(long id, int pid) {
        String path = paths.get(id);
        if (path == null && (!scanned || nanoTime.getAsLong() - lastScan >= rescanNanos)) {
            scan();
            path = paths.get(id);
        }
        if (path == null && paths.size() < maxCgroups) {
            path = ofProcess(pid).filter(found -> inodeOf(found) == id).orElse(null);
            if (path != null) {
                paths.put(id, path);
            }
        }
        return Optional.ofNullable(path);
    }

    /** The path of cgroup {@code id} if this tree already holds it: no walk, no file read. */
    public synchronized Optional<String> known(long id) {
        return Optional.ofNullable(paths.get(id));
    }

    /**
     * Whether cgroup {@code id} is no longer in the tree (or never was): its
     * directory is gone, or holds another cgroup, and a walk, when one is due,
     * does not find it elsewhere.
     */
    public synchronized boolean gone(long id) {
        String path = paths.get(id);
        if (path != null && inodeOf(path) == id) {
            return false;
        }
        paths.remove(id);
        if (!scanned || nanoTime.getAsLong() - lastScan >= rescanNanos) {
            scan();
        }
        return !paths.containsKey(id);
    }

    /** The cgroup2 path /proc/PID/cgroup gives ("0::PATH"), if the process is still there. */
    private static Optional<String> ofProcess(int pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup")).stream()
                    .filter(line -> line.startsWith("0::")).map(line -> line.substring(3)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private long inodeOf(String path) {
        try {
            return inode(root.resolve(path.substring(1)));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Cgroups the last walk found but could not keep. */
    public synchronized long leftOut() {
        return leftOut;
    }

    private void scan() {
        Map<Long, String> found = new HashMap<>();
        long[] over = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    if (found.size() == maxCgroups) {
                        over[0]++;
                        return FileVisitResult.CONTINUE;
                    }
                    found.put(inode(dir), "/" + root.relativize(dir).toString());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // A cgroup removed while walked.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk the cgroup tree at " + root, e);
        }
        paths = found;
        leftOut = over[0];
        lastScan = nanoTime.getAsLong();
        scanned = true;
    }

    private static long inode(Path dir) throws IOException {
        return (Long) Files.getAttribute(dir, "unix:ino");
    }

    /** Where the cgroup2 hierarchy is mounted, from a mountinfo file ("/proc/self/mountinfo"). */
    public static Optional<Path> cgroup2Mount(List<String> mountinfo) {
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4 && before[3].equals("/")) {
                return Optional.of(Path.of(before[4]));
            }
        }
        return Optional.empty();
    }
}
