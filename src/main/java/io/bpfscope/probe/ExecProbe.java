package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.KernelBtf;

/**
 * sys_enter_execve plus a way to learn each exec's result: one record per
 * exec, failed ones included (see exec.h).
 */
public final class ExecProbe extends Probe {

    /** The kfunc exec.bpf.c needs (kernel 6.18). */
    static final String TASK_WORK_KFUNC = "bpf_task_work_schedule_resume_impl";

    private final BpfMap results;
    private final ExecResults resultsBy;

    private ExecProbe(BpfObject object, Buffers buffers, ExecResults resultsBy) {
        super(object, "exec", buffers);
        this.results = object.map("exec_results");
        this.resultsBy = resultsBy;
    }

    /** How the result of each execve reaches the program. */
    public enum ExecResults {
        /** A task-work callback in the caller after execve returns (exec.bpf.c): costs other syscalls nothing. */
        TASK_WORK("exec"),
        /** sys_exit_execve (exec_tp.bpf.c): slows the exit of every syscall a little. */
        EXIT_TRACEPOINT("exec_tp");

        private final String source;

        ExecResults(String source) {
            this.source = source;
        }

        /** Task work needs a 6.18 kernel and a ring buffer: its callback has no context for perf output. */
        static ExecResults choose(BufferMode mode) {
            return mode == BufferMode.RINGBUF && KernelBtf.hasFunction(TASK_WORK_KFUNC) ? TASK_WORK : EXIT_TRACEPOINT;
        }
    }

    public static ExecProbe load(ProbeConfig config) {
        Buffers buffers = new Buffers(config.buffer().resolve(), config.exec().bufferBytes(), config.pollInterval());
        ExecResults resultsBy = ExecResults.choose(buffers.mode());
        return new ExecProbe(load("exec", resultsBy.source, buffers, object -> { }), buffers, resultsBy);
    }

    public ExecResults resultsBy() {
        return resultsBy;
    }

    /** Every execve since load, by outcome, from the in-kernel counters (exact, unlike the stream). */
    public ExecCount counts() {
        return new ExecCount(results.sumPerCpu(0, 0), results.sumPerCpu(1, 0));
    }
}
