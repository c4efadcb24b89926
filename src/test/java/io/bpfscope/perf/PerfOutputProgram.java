package io.bpfscope.perf;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.sys.Libc;
import io.bpfscope.sys.Native;
import io.bpfscope.testing.Kernel;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * src/test/bpf/perf_output.bpf.c, loaded and attached to sys_enter_getpgid:
 * it emits one record per getpgid(MAGIC | size) this process calls, into the
 * perf event array {@code records}, and counts outputs and failed outputs
 * in {@code stats}. A test class registers it as a static extension: attached
 * before its first test, closed after its last.
 */
final class PerfOutputProgram implements BeforeAllCallback, AfterAllCallback {

    private static final int MAGIC = 0x5ec0_0000;
    private static final MethodHandle GETPGID = Native.downcall(Native.LINKER.defaultLookup(), "getpgid",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT));

    private BpfObject object;

    @Override
    public void beforeAll(ExtensionContext context) {
        Kernel.requireRoot();
        if (!Files.isDirectory(Path.of("/sys/kernel/tracing/events"))
                && !Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events"))) {
            Libc.mount("nodev", "/sys/kernel/tracing", "tracefs");
        }
        object = BpfObject.open("perf_output", Kernel.testObject("perf_output"));
        object.load();
        object.map("config").put(0, (int) ProcessHandle.current().pid());
        object.program("perf_output").attach();
    }

    BpfMap records() {
        return object.map("records");
    }

    BpfMap stats() {
        return object.map("stats");
    }

    void resetCounters() {
        stats().put(0, 0L);
        stats().put(1, 0L);
    }

    /** One record of {@code size} bytes from the program, on this thread's CPU. */
    void emit(int size) {
        int unused = Native.callInt(() -> (int) GETPGID.invokeExact(MAGIC | size));
    }

    long produced() {
        return stats().getLong(0);
    }

    long failed() {
        return stats().getLong(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (object != null) {
            object.close();
        }
    }
}
