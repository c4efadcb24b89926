package io.bpfscope.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.NativeMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PerfBuffer against the real kernel: src/test/bpf/perf_output.bpf.c,
 * attached to sys_enter_getpgid, emits one record per getpgid(MAGIC | size)
 * this thread calls.
 */
class PerfBufferTest {

    private static final int MAGIC = 0x5ec0_0000;
    private static final long MIX = 0x9e37_79b9_7f4a_7c15L;
    private static final int PAGE = Libc.pageSize();

    private static final MethodHandle GETPGID = libc("getpgid", FunctionDescriptor.of(Native.C_INT, Native.C_INT));
    private static final MethodHandle POLL = libc("poll",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_LONG, Native.C_INT));
    private static final MethodHandle SCHED_GETAFFINITY = libc("sched_getaffinity",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_LONG, Native.C_POINTER));
    private static final MethodHandle SCHED_SETAFFINITY = libc("sched_setaffinity",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_LONG, Native.C_POINTER));
    private static final long CPU_SET_SIZE = 128;

    private static BpfObject object;
    private static BpfMap records;
    private static BpfMap stats;

    @BeforeAll
    static void attach() {
        Kernel.requireRoot();
        if (!Files.isDirectory(Path.of("/sys/kernel/tracing/events"))
                && !Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events"))) {
            Libc.mount("nodev", "/sys/kernel/tracing", "tracefs");
        }
        object = BpfObject.open("perf_output", Kernel.testObject("perf_output"));
        object.load();
        records = object.map("records");
        stats = object.map("stats");
        object.map("config").put(0, (int) ProcessHandle.current().pid());
        object.program("perf_output").attach();
    }

    @AfterAll
    static void detach() {
        if (object != null) {
            object.close();
        }
    }

    @BeforeEach
    void resetCounters() {
        stats.put(0, 0L);
        stats.put(1, 0L);
    }

    @Test
    void recordsArriveCompleteAndInOrderPerCpuWithNoGap() {
        int count = 20_000;
        List<Sample> samples = new ArrayList<>();
        try (PerfBuffer buffer = PerfBuffer.of(records, 8, 1)) {
            assertThat(buffer.name()).isEqualTo("records");
            for (int i = 0; i < count; i++) {
                emit(16 + i % 53);
                if (i % 100 == 99) {
                    buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));
                }
            }
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));

            assertThat(buffer.lost()).isZero();
            assertThat(buffer.pending()).isZero();
        }

        assertThat(produced()).isEqualTo(count);
        assertThat(failed()).isZero();
        assertThat(samples).allSatisfy(Sample::assertIntact);
        assertThat(samples).extracting(Sample::seq).containsExactlyInAnyOrderElementsOf(sequence(0, count));
        assertThat(samples).allSatisfy(sample -> assertThat(sample.size()).isEqualTo(16 + sample.seq() % 53));
        assertInOrderPerCpu(samples);
    }

    @Test
    void rawSizeIsTheRecordSizePaddedSoHeaderAndRawEndOnEightBytes() {
        List<Sample> samples = new ArrayList<>();
        try (PerfBuffer buffer = PerfBuffer.of(records, 1, 1)) {
            for (int size = 16; size <= 29; size++) {
                emit(size);
            }
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));
        }

        assertThat(samples).allSatisfy(Sample::assertIntact);
        Map<Integer, Integer> lengthBySize = new HashMap<>();
        samples.forEach(sample -> lengthBySize.put(sample.size(), sample.length()));
        // u32 raw size + raw bytes are rounded up to 8: 16..20 bytes arrive as 20, 21..28 as 28, 29 as 36.
        assertThat(lengthBySize).containsEntry(16, 20).containsEntry(20, 20).containsEntry(21, 28)
                .containsEntry(24, 28).containsEntry(28, 28).containsEntry(29, 36).hasSize(14);
    }

    @Test
    void pendingAndCapacityAddUpOverCpus() {
        try (PerfBuffer buffer = PerfBuffer.of(records, 2, 100)) {
            assertThat(buffer.wakeupFds()).hasSize(onlineCpus());
            assertThat(buffer.capacity()).isEqualTo((long) onlineCpus() * 2 * PAGE);
            assertThat(buffer.pending()).isZero();

            for (int i = 0; i < 10; i++) {
                emit(40);
            }
            // Each: 8-byte perf header, u32 raw size, 40 bytes padded to 44.
            assertThat(buffer.pending()).isEqualTo(10 * (8 + 4 + 44));
            assertThat(buffer.consume((memory, offset, length) -> { })).isEqualTo(10);
            assertThat(buffer.pending()).isZero();
        }
    }

    @Test
    void recordsThatWrapAroundTheEndOfTheBufferAreDeliveredIntact() throws Exception {
        int pages = 2;
        long cpuBytes = (long) pages * PAGE;
        int count = 3_000;
        int largest = 3_500;
        List<Sample> samples = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (PerfBuffer buffer = PerfBuffer.of(records, pages, 1)) {
            Thread drain = Thread.ofPlatform().name("perf-drain").start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)))
                                == 0) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            try {
                for (int i = 0; i < count; i++) {
                    // Never more than one CPU buffer can hold: what the drain has not read yet plus this record.
                    while (buffer.pending() > cpuBytes - (largest + 16)) {
                        if (!drain.isAlive()) {
                            throw new AssertionError("the drain stopped", failure.get());
                        }
                        Thread.onSpinWait();
                    }
                    emit(1_000 + (int) ((i * 7919L) % (largest - 1_000 + 1)));
                }
            } finally {
                drain.interrupt();
                drain.join();
            }
            assertThat(failure.get()).as("drain failure").isNull();
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));
            assertThat(buffer.lost()).isZero();
        }

        assertThat(failed()).isZero();
        assertThat(samples).allSatisfy(Sample::assertIntact);
        assertThat(samples).extracting(Sample::seq).containsExactlyInAnyOrderElementsOf(sequence(0, count));
        assertInOrderPerCpu(samples);
        // Every buffer started at position 0 and lost nothing, so where each record lay is known:
        // count those that crossed the end of their CPU's data area.
        Map<Integer, Long> position = new HashMap<>();
        int wrapped = 0;
        for (Sample sample : samples) {
            long at = position.getOrDefault(sample.cpu(), 0L);
            long bytes = 8 + 4 + sample.length();
            if (at % cpuBytes + bytes > cpuBytes) {
                wrapped++;
            }
            position.put(sample.cpu(), at + bytes);
        }
        assertThat(wrapped).as("records that wrapped").isGreaterThan(100);
    }

    @Test
    void recordsTheKernelCouldNotWriteAreCountedAsLost() {
        List<Sample> samples = new ArrayList<>();
        int produced;
        long failedWrites;
        try (Pinned ignored = Pinned.toOneCpu(); PerfBuffer buffer = PerfBuffer.of(records, 1, 1)) {
            // 216 bytes each (8 + 4 + 204): 18 fill the 4096-byte buffer, the other 82 find no room.
            for (int i = 0; i < 100; i++) {
                emit(200);
            }
            failedWrites = failed();
            assertThat(failedWrites).isEqualTo(100 - PAGE / 216);
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));
            // The kernel reports a loss in a PERF_RECORD_LOST it writes before the next record that fits.
            assertThat(buffer.lost()).isZero();

            emit(200);
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));

            assertThat(buffer.lost()).isEqualTo(failedWrites);
            produced = (int) produced();
            assertThat(samples.size() + buffer.lost()).isEqualTo(produced);
        }
        assertThat(produced).isEqualTo(101);
        assertThat(samples).allSatisfy(Sample::assertIntact);
        List<Long> expected = new ArrayList<>(sequence(0, PAGE / 216));
        expected.add(100L);
        assertThat(samples).extracting(Sample::seq).containsExactlyElementsOf(expected);
    }

    @Test
    void wakeupFdsBecomeReadableEachTimeTheWatermarkIsPassed() {
        int watermark = 2_048;
        int recordBytes = 8 + 4 + 100;
        List<Integer> wakeups = new ArrayList<>();
        try (Pinned ignored = Pinned.toOneCpu(); PerfBuffer buffer = PerfBuffer.of(records, 4, watermark)) {
            int[] fds = buffer.wakeupFds();
            assertThat(readable(fds)).isZero();
            for (int i = 1; i <= 40; i++) {
                emit(100);
                int ready = readable(fds);
                assertThat(ready).as("fds readable after record %d", i).isBetween(0, 1);
                if (ready == 1) {
                    wakeups.add(i);
                    // perf reports a wake-up once: the poll that saw it cleared it.
                    assertThat(readable(fds)).isZero();
                }
            }
            assertThat(buffer.consume((memory, offset, length) -> { })).isEqualTo(40);
        }
        // The kernel wakes when what was written since the last wake-up mark exceeds the watermark:
        // after record 19 (2128 > 2048 bytes) and record 37 (4144 > 4096).
        assertThat(wakeups).containsExactly(watermark / recordBytes + 1, 2 * watermark / recordBytes + 1);
    }

    @Test
    void aHandlerThatThrowsStillFreesItsRecord() {
        List<Long> seen = new ArrayList<>();
        try (PerfBuffer buffer = PerfBuffer.of(records, 1, 1)) {
            for (int i = 0; i < 3; i++) {
                emit(32);
            }
            assertThatThrownBy(() -> buffer.consume((memory, offset, length) -> {
                seen.add(Sample.of(memory, offset, length).seq());
                throw new IllegalStateException("decoder bug");
            })).hasMessage("decoder bug");
            assertThat(seen).hasSize(1);

            assertThat(buffer.consume((memory, offset, length) -> seen.add(Sample.of(memory, offset, length).seq())))
                    .isEqualTo(2);
            assertThat(buffer.pending()).isZero();
        }
        assertThat(seen).containsExactlyInAnyOrder(0L, 1L, 2L);
    }

    @Test
    void closeFreesEverythingAndTakesTheBuffersOutOfTheMap() {
        for (int i = 0; i < 5; i++) {
            PerfBuffer.of(records, 1, 1).close();
        }
        NativeMemory before = NativeMemory.snapshot();

        for (int i = 0; i < 50; i++) {
            PerfBuffer buffer = PerfBuffer.of(records, 4, 1);
            assertThat(openFds())
                    .as("one perf event per CPU, libbpf's epoll fd and our map fd")
                    .isEqualTo(before.openFileDescriptors() + onlineCpus() + 2);
            emit(64);
            assertThat(buffer.consume((memory, offset, length) -> { })).isEqualTo(1);
            buffer.close();
            buffer.close();
            assertThatThrownBy(() -> buffer.consume((memory, offset, length) -> { }))
                    .isInstanceOf(IllegalStateException.class);
        }

        NativeMemory after = NativeMemory.snapshot();
        assertThat(after.openFileDescriptors()).isEqualTo(before.openFileDescriptors());
        // 50 scratch segments of 16 KiB would show as 800 KB.
        assertThat(after.ffmAllocatedKb() - before.ffmAllocatedKb()).isLessThan(64);
        // No perf event is left in the map: the program's next output finds none.
        long failedBefore = failed();
        emit(64);
        assertThat(failed()).isEqualTo(failedBefore + 1);
    }

    @Test
    void aBufferOutlivingItsObjectClosesCleanly() {
        int fdsBefore = NativeMemory.snapshot().openFileDescriptors();
        PerfBuffer buffer;
        try (BpfObject other = BpfObject.open("perf_output_2", Kernel.testObject("perf_output"))) {
            other.load();
            buffer = PerfBuffer.of(other.map("records"), 1, 1);
        }
        buffer.close();
        assertThat(NativeMemory.snapshot().openFileDescriptors()).isEqualTo(fdsBefore);
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> PerfBuffer.of(stats, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a perf event array");
        assertThatThrownBy(() -> PerfBuffer.of(records, 3, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> PerfBuffer.of(records, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PerfBuffer.of(records, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PerfBuffer.of(records, 1, PAGE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wakeup watermark");
    }

    /** One record as the handler saw it. */
    private record Sample(long seq, int size, int cpu, int length, String defect) {

        /** Reads and checks the record; the raw bytes start 4 bytes past an 8-byte boundary. */
        static Sample of(MemorySegment memory, long offset, int length) {
            if (length < 16) {
                return new Sample(-1, -1, -1, length, "only " + length + " bytes");
            }
            long seq = memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            int size = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 8);
            int cpu = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 12);
            return new Sample(seq, size, cpu, length, defect(memory, offset, length, seq, size));
        }

        private static String defect(MemorySegment memory, long offset, int length, long seq, int size) {
            if ((memory.address() + offset) % 8 != 4) {
                return "raw bytes at address " + (memory.address() + offset);
            }
            if (length != ((size + 4 + 7) & ~7) - 4) {
                return "length " + length + " for a record of " + size + " bytes";
            }
            for (int i = 16; i < size; i++) {
                int word = (i - 16) / 8;
                byte expected = (byte) ((seq * MIX + word) >>> (8 * ((i - 16) % 8)));
                byte actual = memory.get(ValueLayout.JAVA_BYTE, offset + i);
                if (actual != expected) {
                    return "byte " + i + " is " + actual + ", not " + expected;
                }
            }
            // The padding after size is not checked: the kernel skips it, leaving what earlier records wrote.
            return null;
        }

        void assertIntact() {
            assertThat(defect).as("record %d (%d bytes, CPU %d)", seq, size, cpu).isNull();
        }
    }

    private static void assertInOrderPerCpu(List<Sample> samples) {
        Map<Integer, List<Long>> byCpu = new HashMap<>();
        samples.forEach(sample -> byCpu.computeIfAbsent(sample.cpu(), cpu -> new ArrayList<>()).add(sample.seq()));
        byCpu.forEach((cpu, seqs) -> assertThat(seqs).as("sequence numbers from CPU %d", cpu).isSorted());
    }

    private static List<Long> sequence(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** One record of {@code size} bytes from the program, on this thread's CPU. */
    private static void emit(int size) {
        try {
            int unused = (int) GETPGID.invokeExact(MAGIC | size);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static long produced() {
        return stats.getLong(0);
    }

    private static long failed() {
        return stats.getLong(1);
    }

    /** How many of {@code fds} poll(2) reports readable, without waiting. */
    private static int readable(int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(8L * fds.length, 8);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(ValueLayout.JAVA_INT, 8L * i, fds[i]);
                pollfds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, (short) 1); // POLLIN
            }
            int ready = (int) POLL.invokeExact(pollfds, (long) fds.length, 0);
            assertThat(ready).as("poll(2)").isNotNegative();
            return ready;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static int openFds() {
        return java.util.Objects.requireNonNull(new java.io.File("/proc/self/fd").list()).length;
    }

    private static int onlineCpus() {
        try {
            int count = 0;
            for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().split(",")) {
                String[] bounds = range.split("-");
                count += bounds.length == 1 ? 1 : Integer.parseInt(bounds[1]) - Integer.parseInt(bounds[0]) + 1;
            }
            return count;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return Native.downcall(Native.LINKER.defaultLookup(), name, descriptor);
    }

    /** This thread on one CPU (the first it may run on), so all its records go to one buffer; undone on close. */
    private record Pinned(Arena arena, MemorySegment previous) implements AutoCloseable {

        static Pinned toOneCpu() {
            Arena arena = Arena.ofConfined();
            try {
                MemorySegment previous = arena.allocate(CPU_SET_SIZE, 8);
                assertThat((int) SCHED_GETAFFINITY.invokeExact(0, CPU_SET_SIZE, previous)).isZero();
                MemorySegment one = arena.allocate(CPU_SET_SIZE, 8);
                TreeSet<Integer> allowed = new TreeSet<>();
                for (int bit = 0; bit < CPU_SET_SIZE * 8; bit++) {
                    if ((previous.get(ValueLayout.JAVA_BYTE, bit / 8) & (1 << (bit % 8))) != 0) {
                        allowed.add(bit);
                    }
                }
                int cpu = allowed.first();
                one.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
                assertThat((int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_SIZE, one)).isZero();
                return new Pinned(arena, previous);
            } catch (Throwable t) {
                arena.close();
                throw Native.rethrow(t);
            }
        }

        @Override
        public void close() {
            try {
                assertThat((int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_SIZE, previous)).isZero();
            } catch (Throwable t) {
                throw Native.rethrow(t);
            } finally {
                arena.close();
            }
        }
    }
}
