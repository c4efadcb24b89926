package io.bpfscope.bench;

import io.bpfscope.kernel.KernelOffers;
import io.bpfscope.libbpf.ProgramSpec;
import io.bpfscope.probe.ExecObject;
import io.bpfscope.probe.WriteObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * bpfscope's write and exec objects from the jar under test, loaded by
 * bench's {@code attach} with their built-in settings (a recent kernel's
 * paths, filter empty), no daemon: what bpfscope's programs cost with no JVM
 * on the machine. The exec object is the one the daemon would take here.
 */
record KernelObjectsConfiguration(String name, DaemonBuild build) implements Configuration {

    @Override
    public String description() {
        return "bpfscope's write and exec objects from the jar" + (name.endsWith("_base") ? " of the -b build" : "")
                + ", loaded by `attach`, no daemon (filter empty)";
    }

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        Path objects = run.dir().resolve(name + "-objects");
        boolean taskWork = KernelOffers.ofRunningKernel().taskWork();
        String exec = taskWork ? ExecObject.TASK_WORK_SOURCE : ExecObject.TRACEPOINT_SOURCE;
        BundledObjects.extract(build.launch().jar().getParent(), objects, List.of(WriteObject.SOURCE, exec));
        List<ProgramSpec> writePrograms = Stream.concat(Stream.of(WriteObject.WRITE), WriteObject.BTF_HOOKS.stream())
                .toList();
        List<ProgramSpec> execPrograms = taskWork ? ExecObject.TASK_WORK_PROGRAMS
                : List.of(ExecObject.ENTER, ExecObject.EXIT, ExecObject.EXITED);
        List<Tool> tools = new ArrayList<>();
        try {
            tools.add(attach(run, objects.resolve(WriteObject.SOURCE + ".bpf.o"), writePrograms));
            tools.add(attach(run, objects.resolve(exec + ".bpf.o"), execPrograms));
        } catch (RuntimeException | InterruptedException e) {
            tools.forEach(Tool::close);
            throw e;
        }
        Set<Long> programs = new HashSet<>();
        tools.forEach(tool -> programs.addAll(BpfView.programsOf(tool.handle().pid())));
        return Configuration.attached(tools.stream().map(Tool::handle).toList(), () -> {
            try {
                for (Tool tool : tools) {
                    tool.stopCleanly("TERM", Duration.ofSeconds(20));
                }
                // Else the next run finds them still attached and takes them for another session's tracers.
                BpfView.awaitUnloaded(programs, Duration.ofSeconds(10));
                return Outcome.of("");
            } finally {
                tools.forEach(Tool::close);
            }
        });
    }

    /** One object, only {@code programs} of it loaded, ready once the kernel lists each on its tracepoint. */
    private static Tool attach(Run run, Path object, List<ProgramSpec> programs) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(run.build().resolve("attach").toString(), object.toString()));
        programs.forEach(program -> command.add(program.name()));
        String tag = "attach-" + object.getFileName().toString().replace(".bpf.o", "");
        Tool tool = Tool.start(run.dir(), tag, run.bound(), command);
        try {
            tool.awaitLine(Pattern.compile("^attached"), run.ready());
            for (ProgramSpec program : programs) {
                String section = program.section();
                if (section.startsWith("tp/syscalls/")) {
                    BpfView.awaitAttached(tool, section.substring("tp/syscalls/".length()), run.ready());
                }
            }
            return tool;
        } catch (RuntimeException | InterruptedException e) {
            tool.close();
            throw e;
        }
    }
}
