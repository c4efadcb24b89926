package io.bpfscope.probe;

import io.bpfscope.event.ArgvMode;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.kernel.KernelOffers;
import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.Btf;
import io.bpfscope.libbpf.LibbpfException;
import io.bpfscope.libbpf.LibbpfLibrary;
import io.bpfscope.sys.Libc;
import io.bpfscope.sys.SystemCallException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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

    /** Checks the settings and the machine, then decides the path of each kernel feature. */
    static KernelPaths check(ProbeConfig config) {
        Set<KernelFeature> setAside = checkConfig(config);
        checkCapabilities(Path.of("/proc/self/status"));
        try {
            LOG.infof("using %s", LibbpfLibrary.require());
        } catch (IllegalStateException e) {
            throw new StartupFailure(e.getMessage(), e);
        }
        Optional<Path> btfFile = config.btfPath().map(Preflight::checkBtfFile);
        KernelOffers offers = KernelOffers.ofRunningKernel();
        checkFloor(offers, btfFile);
        if (config.buffer() == BufferMode.RINGBUF && !offers.ringBuffer()) {
            throw new StartupFailure("bpfscope.buffer is ringbuf, but this kernel has no BPF ring buffer (5.8+):"
                    + " set it to auto or perf");
        }
        mountTracefsIfMissing();
        return KernelPaths.decide(offers, setAside, btfFile);
    }

    /** What no path can do without: CO-RE needs BTF, the argv loop a verifier that takes bounded loops. */
    private static void checkFloor(KernelOffers offers, Optional<Path> btfFile) {
        if (!offers.kernelBtf() && btfFile.isEmpty()) {
            throw new StartupFailure("this kernel has no BTF (" + Btf.KERNEL + " is missing or unreadable; it needs"
                    + " CONFIG_DEBUG_INFO_BTF=y): set bpfscope.btf-path to a BTF file for this exact kernel"
                    + " (BTFHub has them for distribution kernels)");
        }
        if (!offers.boundedLoops()) {
            throw new StartupFailure("this kernel's verifier refuses bounded loops (Linux 5.3), which bpfscope's"
                    + " programs need: run it on Linux 5.4 or later");
        }
    }

    /** bpfscope.btf-path must be a BTF file that describes a kernel, before anything is relocated against it. */
    private static Path checkBtfFile(Path path) {
        if (!Files.isReadable(path)) {
            throw new StartupFailure("cannot read bpfscope.btf-path " + path + ": give a readable BTF file for this kernel");
        }
        try (Btf btf = Btf.parse(path)) {
            if (!btf.hasStruct("task_struct")) {
                throw new StartupFailure("bpfscope.btf-path " + path + " is BTF, but not a kernel's (no struct"
                        + " task_struct): give the BTF of this kernel");
            }
        } catch (LibbpfException e) {
            throw new StartupFailure("bpfscope.btf-path " + path + " is not a BTF file (" + e.reason()
                    + "): give the BTF of this kernel, raw or in an ELF .BTF section", e);
        }
        return path;
    }

    /** Checks the settings that need no kernel; returns the features set aside for their older path. */
    static Set<KernelFeature> checkConfig(ProbeConfig config) {
        requireBufferSize("bpfscope.write.buffer-bytes", config.write().bufferBytes());
        requireBufferSize("bpfscope.exec.buffer-bytes", config.exec().bufferBytes());
        if (config.write().maxSeries() < 1) {
            throw new StartupFailure("bpfscope.write.max-series must be at least 1, not " + config.write().maxSeries());
        }
        if (ArgvMode.parse(config.exec().argv()).isEmpty()) {
            throw new StartupFailure("bpfscope.exec.argv must be " + ArgvMode.choices() + ", not " + config.exec().argv());
        }
        Set<KernelFeature> setAside = fallbacks(config.fallbacks().orElse(List.of()));
        if (config.buffer() == BufferMode.RINGBUF && setAside.contains(KernelFeature.BUFFER)) {
            throw new StartupFailure("bpfscope.buffer is ringbuf, but bpfscope.fallbacks sets the buffer aside:"
                    + " drop one of them");
        }
        if (config.buffer() == BufferMode.PERF) {
            setAside.add(KernelFeature.BUFFER);
        }
        return setAside;
    }

    /** bpfscope.fallbacks: feature names, or "all". */
    static Set<KernelFeature> fallbacks(List<String> names) {
        Set<KernelFeature> features = EnumSet.noneOf(KernelFeature.class);
        for (String name : names) {
            if (name.equals("all")) {
                features.addAll(EnumSet.allOf(KernelFeature.class));
                continue;
            }
            features.add(KernelFeature.byLabel(name).orElseThrow(() -> new StartupFailure(
                    "bpfscope.fallbacks names " + name + ", which is not a feature: give all or some of "
                            + Arrays.stream(KernelFeature.values()).map(KernelFeature::label)
                                    .collect(Collectors.joining(", ")))));
        }
        return features;
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
        } catch (SystemCallException e) {
            throw new StartupFailure("tracefs is not mounted at " + TRACEFS + " and mounting it failed ("
                    + e.errnoName() + "): mount it with 'mount -t tracefs nodev " + TRACEFS + "'", e);
        }
    }
}
