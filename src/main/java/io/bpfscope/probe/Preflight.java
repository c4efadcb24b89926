package io.bpfscope.probe;

import io.bpfscope.event.ArgvMode;
import io.bpfscope.libbpf.LibbpfException;
import io.bpfscope.libbpf.LibbpfLibrary;
import io.bpfscope.libbpf.Libc;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What the machine must give before any program is loaded, checked in the
 * order an operator would fix it, each failure one line naming the fix.
 */
final class Preflight {

    private static final Logger LOG = Logger.getLogger(Preflight.class);
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;
    /** libbpf looks for tracepoints here (or under debugfs, when that is mounted). */
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");

    private Preflight() {
    }

    static void check(ProbeConfig config) {
        checkConfig(config);
        checkCapabilities(Path.of("/proc/self/status"));
        if (!Files.isReadable(config.btf())) {
            throw new StartupFailure("no kernel BTF at " + config.btf()
                    + ": bpfscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (or set bpfscope.btf)");
        }
        try {
            LOG.infof("using %s", LibbpfLibrary.require());
        } catch (IllegalStateException e) {
            throw new StartupFailure(e.getMessage(), e);
        }
        mountTracefsIfMissing();
    }

    static void checkConfig(ProbeConfig config) {
        requireBufferSize("bpfscope.write.buffer-bytes", config.write().bufferBytes());
        requireBufferSize("bpfscope.exec.buffer-bytes", config.exec().bufferBytes());
        if (config.write().maxComms() < 1) {
            throw new StartupFailure("bpfscope.write.max-comms must be at least 1, not " + config.write().maxComms());
        }
        if (ArgvMode.parse(config.exec().argv()).isEmpty()) {
            throw new StartupFailure("bpfscope.exec.argv must be " + ArgvMode.choices() + ", not " + config.exec().argv());
        }
    }

    private static void requireBufferSize(String key, int bytes) {
        int page = Libc.pageSize();
        if (bytes < page || Integer.bitCount(bytes) != 1) {
            throw new StartupFailure(key + " must be a power of two of at least " + page + " bytes, not " + bytes);
        }
    }

    /** Root has them all; otherwise CAP_BPF with CAP_PERFMON (5.8+), or CAP_SYS_ADMIN on older kernels. */
    static void checkCapabilities(Path status) {
        BigInteger effective = effectiveCapabilities(status);
        boolean split = effective.testBit(CAP_BPF) && effective.testBit(CAP_PERFMON);
        if (!split && !effective.testBit(CAP_SYS_ADMIN)) {
            throw new StartupFailure("bpfscope needs root, or CAP_BPF and CAP_PERFMON, to load BPF programs"
                    + " (effective capabilities: 0x" + effective.toString(16) + "): run it as root or grant them");
        }
    }

    private static BigInteger effectiveCapabilities(Path status) {
        try {
            List<String> lines = Files.readAllLines(status);
            return lines.stream().filter(line -> line.startsWith("CapEff:"))
                    .map(line -> new BigInteger(line.substring("CapEff:".length()).strip(), 16))
                    .findFirst().orElseThrow(() -> new StartupFailure("no CapEff line in " + status));
        } catch (IOException e) {
            throw new StartupFailure("cannot read " + status + ": " + e.getMessage(), e);
        }
    }

    /** As Tetragon does: a fresh machine often has no tracefs mounted, and attaching needs it. */
    private static void mountTracefsIfMissing() {
        if (Files.isDirectory(TRACEFS.resolve("events")) || Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events"))) {
            return;
        }
        try {
            Libc.mount("nodev", TRACEFS.toString(), "tracefs");
            LOG.infof("mounted tracefs at %s (it was not mounted)", TRACEFS);
        } catch (LibbpfException e) {
            throw new StartupFailure("tracefs is not mounted at " + TRACEFS + " and mounting it failed ("
                    + e.errnoName() + "): mount it with 'mount -t tracefs nodev " + TRACEFS + "'", e);
        }
    }
}
