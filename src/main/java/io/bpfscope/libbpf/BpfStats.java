package io.bpfscope.libbpf;

import io.bpfscope.sys.Libc;
import io.bpfscope.sys.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kernel-wide BPF run-time statistics (kernel.bpf_stats_enabled). Turning
 * them on through bpf_enable_stats rather than the sysctl means they go off
 * again by themselves when the daemon exits, whatever way it exits: the
 * kernel keeps them on while any such descriptor is open.
 */
public final class BpfStats implements AutoCloseable {

    private static final int BPF_STATS_RUN_TIME = 0;
    private static final Path SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");

    private final int fd;

    private BpfStats(int fd) {
        this.fd = fd;
    }

    /** Turns statistics on until {@link #close()}. */
    public static BpfStats enable() {
        int fd = Native.callInt(() -> (int) Libbpf.ENABLE_STATS.invokeExact(BPF_STATS_RUN_TIME));
        if (fd < 0) {
            throw LibbpfException.ofReturn("bpf_enable_stats", fd, List.of());
        }
        return new BpfStats(fd);
    }

    /**
     * Whether kernel.bpf_stats_enabled is set. (The sysctl shows only its own
     * setting, not statistics turned on through {@link #enable()}.)
     */
    public static boolean enabled() {
        try {
            return "1".equals(Files.readAllLines(SYSCTL).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
