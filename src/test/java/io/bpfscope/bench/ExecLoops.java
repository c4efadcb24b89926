package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two bench/workloads/exec_loop.c processes at once, each doing its execs
 * of /bin/true with the run's mark as argv[1], vfork+execve+waitpid.
 */
final class ExecLoops {

    private static final Pattern RESULT = Pattern.compile("execs=(\\d+) failures=(\\d+) ns_per_exec=([0-9.]+)");

    /** The mean ns per exec of the two loops, and their failed execs. */
    record Result(double nsPerExec, long failures) {
    }

    private ExecLoops() {
    }

    static Result run(Run run, long execs, String marker) throws InterruptedException {
        List<Tool> loops = new ArrayList<>();
        try {
            for (int i = 1; i <= 2; i++) {
                loops.add(Tool.start(run.dir(), "exec" + i, run.bound(), List.of(run.build().resolve("exec_loop").toString(),
                        "-n", Long.toString(execs), "-m", marker)));
            }
            double ns = 0;
            long failures = 0;
            for (Tool loop : loops) {
                int status = loop.await(run.bound());
                Matcher result = RESULT.matcher(loop.output());
                if (status != 0 || !result.find()) {
                    throw new HarnessFailure("exec_loop failed, " + Tool.exitText(status) + ": " + loop.errorTail(5));
                }
                failures += Long.parseLong(result.group(2));
                ns += Double.parseDouble(result.group(3)) / loops.size();
            }
            return new Result(ns, failures);
        } finally {
            loops.forEach(Tool::close);
        }
    }
}
