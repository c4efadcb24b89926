package io.bpfscope.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.TreeSet;

/** This thread on one CPU (the first it may run on), so all its records go to one buffer; undone on close. */
record PinnedThread(Arena arena, MemorySegment previous) implements AutoCloseable {

    private static final MethodHandle SCHED_GETAFFINITY = downcall("sched_getaffinity",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_LONG, Native.C_POINTER));
    private static final MethodHandle SCHED_SETAFFINITY = downcall("sched_setaffinity",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_LONG, Native.C_POINTER));
    private static final long CPU_SET_SIZE = 128;

    static PinnedThread toOneCpu() {
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment previous = arena.allocate(CPU_SET_SIZE, 8);
            assertThat(Native.callInt(() -> (int) SCHED_GETAFFINITY.invokeExact(0, CPU_SET_SIZE, previous))).isZero();
            MemorySegment one = arena.allocate(CPU_SET_SIZE, 8);
            TreeSet<Integer> allowed = new TreeSet<>();
            for (int bit = 0; bit < CPU_SET_SIZE * 8; bit++) {
                if ((previous.get(ValueLayout.JAVA_BYTE, bit / 8) & (1 << (bit % 8))) != 0) {
                    allowed.add(bit);
                }
            }
            int cpu = allowed.first();
            one.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            assertThat(Native.callInt(() -> (int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_SIZE, one))).isZero();
            return new PinnedThread(arena, previous);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            assertThat(Native.callInt(() -> (int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_SIZE, previous))).isZero();
        } finally {
            arena.close();
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return Native.downcall(Native.LIBC, name, descriptor);
    }
}
