package io.bpfscope.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libbpf-tools execsnoop (perf buffer) printing to a file. It prints its
 * header only when its output is flushed (a file: at exit), so the kernel
 * says when it is attached; it reads its buffer every 100 ms and does not
 * drain it on exit, so it gets a second for the last events first.
 */
record ExecsnoopConfiguration() implements Configuration {

    private static final Pattern LOST = Pattern.compile("[Ll]ost (\\d+) events");

    @Override
    public String name() {
        return "exec_execsnoop";
    }

    @Override
    public String description() {
        return "libbpf-tools execsnoop (perf buffer), printing to a file";
    }

    @Override
    public Map<String, String> needs() {
        return Map.of("execsnoop", "libbpf-tools");
    }

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        Tool tool = Tool.start(run.dir(), name(), run.bound(), List.of("execsnoop"));
        try {
            BpfView.awaitAttached(tool, "sys_enter_execve", run.ready());
            BpfView.awaitAttached(tool, "sys_exit_execve", run.ready());
        } catch (RuntimeException | InterruptedException e) {
            tool.close();
            throw e;
        }
        return Configuration.attached(List.of(tool.handle()), () -> {
            try {
                Thread.sleep(1000);
                tool.stopCleanly("INT", Duration.ofSeconds(20));
                // Lines look like "true PID PPID RET ARGS"; ours have RET 0 and the mark.
                long seen = tool.output().lines().map(line -> line.trim().split("\\s+"))
                        .filter(f -> f.length >= 6 && f[3].equals("0") && f[4].equals("/bin/true")
                                && f[5].equals(run.marker()))
                        .count();
                long lost = 0;
                Matcher reported = LOST.matcher(tool.error());
                while (reported.find()) {
                    lost += Long.parseLong(reported.group(1));
                }
                return new Outcome("printed " + seen + " of " + 2 * run.operations() + ", reported lost " + lost,
                        Map.of("seen", (double) seen));
            } finally {
                tool.close();
            }
        });
    }
}
