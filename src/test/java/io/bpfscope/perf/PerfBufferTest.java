package io.bpfscope.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.sys.Libc;
import io.bpfscope.sys.Native;
import io.bpfscope.testing.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PerfBuffer's records against the real kernel, from the program of
 * {@link PerfOutputProgram}; closing and refusing are in PerfBufferLifecycleTest.
 */
class PerfBufferTest {

    private static final long MIX = 0x9e37_79b9_7f4a_7c15L;
    private static final int PAGE = Libc.pageSize();

    private static final MethodHandle POLL = Native.downcall(Native.LINKER.defaultLookup(), "poll",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_LONG, Native.C_INT));

    @RegisterExtension
    static final PerfOutputProgram program = new PerfOutputProgram();

    @BeforeEach
    void resetCounters() {
        program.resetCounters();
    }

    @Test
    void recordsArriveCompleteAndInOrderPerCpuWithNoGap() {
        int count = 20_000;
        List<Sample> samples = new ArrayList<>();
        try (PerfBuffer buffer = PerfBuffer.of(program.records(), 8, 1)) {
            assertThat(buffer.name()).isEqualTo("records");
            for (int i = 0; i < count; i++) {
                program.emit(16 + i % 53);
                if (i % 100 == 99) {
                    buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));
                }
            }
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));

            assertThat(program.failed()).isZero();
            assertThat(buffer.pending()).isZero();
        }

        assertThat(program.produced()).isEqualTo(count);
        assertThat(program.failed()).isZero();
        assertThat(samples).allSatisfy(Sample::assertIntact);
        assertThat(samples).extracting(Sample::seq).containsExactlyInAnyOrderElementsOf(sequence(0, count));
        assertThat(samples).allSatisfy(sample -> assertThat(sample.size()).isEqualTo(16 + sample.seq() % 53));
        assertInOrderPerCpu(samples);
    }

    @Test
    void rawSizeIsTheRecordSizePaddedSoHeaderAndRawEndOnEightBytes() {
        List<Sample> samples = new ArrayList<>();
        try (PerfBuffer buffer = PerfBuffer.of(program.records(), 1, 1)) {
            for (int size = 16; size <= 29; size++) {
                program.emit(size);
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
        try (PerfBuffer buffer = PerfBuffer.of(program.records(), 2, 100)) {
            assertThat(buffer.wakeupFds()).hasSize(Kernel.onlineCpus());
            assertThat(buffer.capacity()).isEqualTo((long) Kernel.onlineCpus() * 2 * PAGE);
            assertThat(buffer.pending()).isZero();

            for (int i = 0; i < 10; i++) {
                program.emit(40);
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
        try (PerfBuffer buffer = PerfBuffer.of(program.records(), pages, 1)) {
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
                    program.emit(1_000 + (int) ((i * 7919L) % (largest - 1_000 + 1)));
                }
            } finally {
                drain.interrupt();
                drain.join();
            }
            assertThat(failure.get()).as("drain failure").isNull();
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));
        }

        assertThat(program.failed()).isZero();
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
    void recordsTheKernelCouldNotWriteAreTheProgramsFailedWritesAndTheRestArrive() {
        List<Sample> samples = new ArrayList<>();
        int produced;
        long failedWrites;
        try (PinnedThread ignored = PinnedThread.toOneCpu(); PerfBuffer buffer = PerfBuffer.of(program.records(), 1, 1)) {
            // 216 bytes each (8 + 4 + 204): 18 fill the 4096-byte buffer, the other 82 find no room.
            for (int i = 0; i < 100; i++) {
                program.emit(200);
            }
            failedWrites = program.failed();
            assertThat(failedWrites).isEqualTo(100 - PAGE / 216);
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));

            // The kernel then writes a PERF_RECORD_LOST before the next record that fits: passed over.
            program.emit(200);
            buffer.consume((memory, offset, length) -> samples.add(Sample.of(memory, offset, length)));

            produced = (int) program.produced();
            assertThat(samples.size() + failedWrites).isEqualTo(produced);
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
        try (PinnedThread ignored = PinnedThread.toOneCpu(); PerfBuffer buffer = PerfBuffer.of(program.records(), 4, watermark)) {
            int[] fds = buffer.wakeupFds();
            assertThat(readable(fds)).isZero();
            for (int i = 1; i <= 40; i++) {
                program.emit(100);
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
        try (PerfBuffer buffer = PerfBuffer.of(program.records(), 1, 1)) {
            for (int i = 0; i < 3; i++) {
                program.emit(32);
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
            // The padding after size is not checked: the kernel skips it, leaving what earlier program.records() wrote.
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

    /** How many of {@code fds} poll(2) reports readable, without waiting. */
    private static int readable(int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(8L * fds.length, 8);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(ValueLayout.JAVA_INT, 8L * i, fds[i]);
                pollfds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, (short) 1); // POLLIN
            }
            int ready = Native.callInt(() -> (int) POLL.invokeExact(pollfds, (long) fds.length, 0));
            assertThat(ready).as("poll(2)").isNotNegative();
            return ready;
        }
    }
}
