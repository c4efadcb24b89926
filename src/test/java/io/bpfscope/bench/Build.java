package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles what the runs need into bench/build: the C workloads, the
 * reference consumers and loader, and the BPF objects of the comparison
 * configurations. A failing step names itself and stops the run.
 */
public final class Build {

    private final Path bench;
    private final Path out;

    public Build(Path bench) {
        this.bench = bench;
        this.out = bench.resolve("build");
    }

    /** Builds everything; returns the directory the artefacts are in. */
    public Path run() {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String arch = Commands.output(List.of("gcc", "-print-multiarch")).strip();
        for (String object : List.of("empty", "empty_exec", "ref")) {
            bpf(arch, bench.resolve("bpf/" + object + ".bpf.c"), out.resolve(object + ".bpf.o"), List.of());
        }
        for (String part : List.of("filter", "pid_hash", "comm_hash", "all")) {
            bpf(arch, bench.resolve("bpf/parts.bpf.c"), out.resolve("parts_" + part + ".bpf.o"),
                    List.of("-DPART_" + part.toUpperCase(Locale.ROOT)));
        }
        c("write_loop", "workloads/write_loop.c", List.of());
        c("exec_loop", "workloads/exec_loop.c", List.of());
        c("many_comms", "workloads/many_comms.c", List.of());
        c("ref_consumer", "ref/ref_consumer.c", List.of("-I" + bench.resolve("bpf"), "-lbpf"));
        c("attach", "ref/attach.c", List.of("-lbpf"));
        c("sse_count", "clients/sse_count.c", List.of("-lssl", "-lcrypto"));
        return out;
    }

    private void bpf(String arch, Path source, Path object, List<String> defines) {
        List<String> command = new ArrayList<>(List.of("clang-19", "-target", "bpf", "-g", "-O2", "-Wall",
                "-I/usr/include/" + arch, "-I" + bench.resolve("bpf")));
        command.addAll(defines);
        command.addAll(List.of("-c", source.toString(), "-o", object.toString()));
        Commands.run(command);
    }

    private void c(String binary, String source, List<String> flags) {
        List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Wextra", "-o",
                out.resolve(binary).toString(), bench.resolve(source).toString()));
        command.addAll(flags);
        Commands.run(command);
    }
}
