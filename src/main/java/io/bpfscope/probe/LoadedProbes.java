package io.bpfscope.probe;

import io.bpfscope.kernel.KernelPaths;
import io.bpfscope.libbpf.BpfStats;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.function.Consumer;

/**
 * Both bundled probes, loaded and attached on the paths this kernel takes;
 * closing unloads both.
 */
public record LoadedProbes(WriteProbe write, ExecProbe exec, KernelPaths paths, Optional<BpfStats> stats)
        implements AutoCloseable {

    /** Checks the settings and the machine, and decides the path of each kernel feature, as start does. */
    public static KernelPaths check(ProbeConfig config) {
        return Preflight.check(config);
    }

    /** Checks the machine, loads both objects, then attaches them; on failure nothing stays loaded. */
    public static LoadedProbes start(ProbeConfig config) {
        return start(config, write -> { });
    }

    /**
     * The same, with {@code beforeAttach} given the loaded write probe first:
     * state put in its maps there is in force before any program runs.
     */
    public static LoadedProbes start(ProbeConfig config, Consumer<WriteProbe> beforeAttach) {
        KernelPaths paths = Preflight.check(config);
        WriteProbe write = WriteProbe.load(config, paths);
        try {
            ExecProbe exec = ExecProbe.load(config, paths);
            try {
                beforeAttach.accept(write);
                write.attach();
                exec.attach();
                return new LoadedProbes(write, exec, paths,
                        config.bpfStats() ? Optional.of(BpfStats.enable()) : Optional.empty());
            } catch (RuntimeException e) {
                exec.close();
                throw e;
            }
        } catch (RuntimeException e) {
            write.close();
            throw e;
        }
    }

    public List<String> programNames() {
        return Stream.concat(write.programNames().stream(), exec.programNames().stream()).toList();
    }

    /** Programs of either object with no attached link. */
    public List<String> detachedPrograms() {
        return Stream.concat(write.detachedPrograms().stream(), exec.detachedPrograms().stream()).toList();
    }

    @Override
    public void close() {
        try {
            exec.close();
        } finally {
            write.close();
            stats.ifPresent(BpfStats::close);
        }
    }
}
