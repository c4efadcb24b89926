package io.bpfscope.kernel;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.Btf;
import io.bpfscope.libbpf.KernelProbe;
import io.bpfscope.libbpf.LibbpfException;
import java.nio.file.Files;

/**
 * What the running kernel answered to each question the paths depend on.
 *
 * @param kernelBtf the kernel publishes its own BTF (tp_btf programs, BTF task pointers and kfuncs need it)
 * @param taskWork the task-work kfunc is in that BTF, and the verifier lets a tracepoint program call it
 * @param boundedLoops the verifier accepts loops it proves bounded, which every path needs (the floor)
 */
public record KernelOffers(boolean ringBuffer, boolean bpfLoop, boolean taskStorage, boolean taskBtfHelper,
        boolean kernelBtf, boolean taskWork, boolean bootClock, boolean probeReadUser, boolean mmapableArrays,
        boolean batchLookups, boolean boundedLoops) {

    /** The kfunc exec.bpf.c calls (6.18). */
    public static final String TASK_WORK_KFUNC = "bpf_task_work_schedule_resume_impl";

    /** enum bpf_func_id of the helpers asked about. */
    private static final int PROBE_READ_USER = 112;
    private static final int KTIME_GET_BOOT_NS = 125;
    private static final int GET_CURRENT_TASK_BTF = 158;
    private static final int LOOP = 181;

    /** Asks the running kernel, through libbpf's probes and its BTF. */
    public static KernelOffers ofRunningKernel() {
        boolean kernelBtf = false;
        boolean taskWork = false;
        if (Files.isReadable(Btf.KERNEL)) {
            try (Btf btf = Btf.parse(Btf.KERNEL)) {
                kernelBtf = btf.hasStruct("task_struct");
                taskWork = btf.hasFunction(TASK_WORK_KFUNC) && taskWorkAccepted();
            } catch (LibbpfException unreadable) {
                // Treated as absent: the paths that need kernel BTF are not taken.
            }
        }
        return new KernelOffers(
                KernelProbe.mapType(BpfMap.TYPE_RINGBUF),
                helper(LOOP),
                KernelProbe.mapType(BpfMap.TYPE_TASK_STORAGE),
                helper(GET_CURRENT_TASK_BTF),
                kernelBtf,
                taskWork,
                helper(KTIME_GET_BOOT_NS),
                helper(PROBE_READ_USER),
                KernelProbe.mmapableArrays(),
                KernelProbe.batchLookups(),
                KernelProbe.boundedLoops());
    }

    /**
     * Whether the kernel loads task_work_probe.bpf.c: a kernel may have the
     * kfunc and still refuse it from a tracepoint (6.18.44, for one, verifies
     * its callback as sleepable, which a tracepoint program is not).
     */
    private static boolean taskWorkAccepted() {
        try (BpfObject probe = BpfObject.open("bpfscope_" + TaskWorkProbeObject.SOURCE,
                BpfObject.bundled(TaskWorkProbeObject.SOURCE))) {
            probe.load();
            return true;
        } catch (LibbpfException refused) {
            return false;
        }
    }

    private static boolean helper(int id) {
        return KernelProbe.helper(KernelProbe.PROG_TYPE_TRACEPOINT, id);
    }

    /** Whether the newer path of {@code feature} can be taken here (the buffer decides task work's). */
    boolean allows(KernelFeature feature, boolean ringBufferTaken) {
        return switch (feature) {
            case BUFFER -> ringBuffer;
            case ARGV_LOOP -> bpfLoop;
            case THREADS -> kernelBtf && taskStorage && taskBtfHelper;
            case EXEC_RESULT -> kernelBtf && taskWork && ringBufferTaken;
            case CLOCK -> bootClock;
            case PROBE_READ -> probeReadUser;
            case FILTER_STATE -> mmapableArrays;
            case MAP_READS -> batchLookups;
        };
    }
}
