package io.bpfscope.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One CPU's perf buffer reader on memory the test lays out as the kernel
 * does: a header page with data_head and data_tail, then a data area mapped
 * once, holding PERF_RECORD_SAMPLE and PERF_RECORD_LOST records. No kernel
 * involved: PerfBufferTest reads real perf buffers.
 */
class PerfRingTest {

    private static final long PAGE = 4096;
    private static final long SIZE = 128;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment memory = arena.allocate(PAGE + SIZE, 8);
    private final MemorySegment scratch = arena.allocate(SIZE, 8);
    private final PerfRing ring = new PerfRing("test", memory, PAGE, SIZE, scratch);
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void handsTheRawBytesOfEachSampleOverAndFreesTheirSpace() {
        long end = sample(0, "hello");
        end = sample(end, "perf buffers");

        assertThat(ring.pending()).isEqualTo(end);
        assertThat(ring.consume(this::record, Integer.MAX_VALUE)).isEqualTo(2);
        assertThat(seen).containsExactly("hello", "perf buffers");
        assertThat(tail()).as("8 + 4 + raw, padded to 8").isEqualTo(24 + 24).isEqualTo(end);
        assertThat(ring.pending()).isZero();
    }

    @Test
    void aSampleThatWrapsIsCopiedWholeIntoTheScratchSegment() {
        start(SIZE - 16);
        long end = sample(SIZE - 16, "wraps around the end");

        assertThat(ring.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("wraps around the end");
        assertThat(tail()).isEqualTo(end);
    }

    @Test
    void aSampleWhoseHeaderTakesTheLastBytesOfTheAreaHasItsDataAtTheStart() {
        start(SIZE - 8);
        long end = sample(SIZE - 8, "at the start");

        assertThat(ring.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("at the start");
        assertThat(tail()).isEqualTo(end);
    }

    @Test
    void lostRecordsArePassedOver() {
        long end = lost(0, 7);
        end = sample(end, "after");
        end = lost(end, 5);

        assertThat(ring.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("after");
        assertThat(tail()).isEqualTo(end);
    }

    @Test
    void handsOverNoMoreThanAsked() {
        long end = 0;
        for (String text : List.of("a", "b", "c")) {
            end = sample(end, text);
        }

        assertThat(ring.consume(this::record, 2)).isEqualTo(2);
        assertThat(ring.consume(this::record, 2)).isEqualTo(1);
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(tail()).isEqualTo(end);
    }

    @Test
    void aSampleWhoseHandlerFailsIsStillFreed() {
        long end = sample(0, "bad");
        sample(end, "next");

        assertThatThrownBy(() -> ring.consume((segment, offset, length) -> {
            throw new IllegalStateException("cannot decode");
        }, Integer.MAX_VALUE)).hasMessage("cannot decode");
        assertThat(tail()).isEqualTo(end);
        assertThat(ring.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("next");
    }

    @Test
    void aRecordLongerThanWhatWasWrittenGivesTheBacklogUp() {
        long garbled = sample(0, "fine");
        long end = sample(garbled, "garbled");
        writeShort(garbled + 6, (short) 200);

        assertThatThrownBy(() -> ring.consume(this::record, Integer.MAX_VALUE))
                .hasMessageContaining("record of 200 bytes at 16 with 24 written");
        assertThat(seen).containsExactly("fine");
        assertThat(tail()).isEqualTo(end);
    }

    private void record(MemorySegment segment, long offset, int length) {
        seen.add(new String(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
    }

    /** Head and tail at {@code position}, as after earlier records. */
    private void start(long position) {
        memory.set(ValueLayout.JAVA_LONG, PerfRing.DATA_HEAD, position);
        memory.set(ValueLayout.JAVA_LONG, PerfRing.DATA_TAIL, position);
    }

    /** A PERF_RECORD_SAMPLE with raw bytes, padded as the kernel pads it; moves data_head past it and returns that. */
    private long sample(long position, String text) {
        byte[] raw = text.getBytes(StandardCharsets.US_ASCII);
        int size = (PerfRing.HEADER + 4 + raw.length + 7) & ~7;
        writeHeader(position, PerfRing.RECORD_SAMPLE, size);
        writeInt(position + PerfRing.HEADER, raw.length);
        for (int i = 0; i < raw.length; i++) {
            writeByte(position + PerfRing.HEADER + 4 + i, raw[i]);
        }
        return head(position + size);
    }

    private static final int RECORD_LOST = 2;

    /** A PERF_RECORD_LOST: header, u64 id, u64 lost. */
    private long lost(long position, long count) {
        writeHeader(position, RECORD_LOST, 24);
        writeLong(position + 8, 1);
        writeLong(position + 16, count);
        return head(position + 24);
    }

    private long head(long position) {
        memory.set(ValueLayout.JAVA_LONG, PerfRing.DATA_HEAD, position);
        return position;
    }

    private void writeHeader(long position, int type, int size) {
        writeInt(position, type);
        writeShort(position + 4, (short) 0);
        writeShort(position + 6, (short) size);
    }

    private void writeLong(long position, long value) {
        for (int i = 0; i < 8; i++) {
            writeByte(position + i, (byte) (value >>> 8 * i));
        }
    }

    private void writeInt(long position, int value) {
        for (int i = 0; i < 4; i++) {
            writeByte(position + i, (byte) (value >>> 8 * i));
        }
    }

    private void writeShort(long position, short value) {
        writeByte(position, (byte) value);
        writeByte(position + 1, (byte) (value >>> 8));
    }

    /** One byte of the data area at a ring position, wrapping as the kernel's writes do. */
    private void writeByte(long position, byte value) {
        memory.set(ValueLayout.JAVA_BYTE, PAGE + (position & (SIZE - 1)), value);
    }

    private long tail() {
        return memory.get(ValueLayout.JAVA_LONG, PerfRing.DATA_TAIL);
    }
}
