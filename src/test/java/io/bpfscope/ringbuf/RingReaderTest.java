package io.bpfscope.ringbuf;

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
 * The ring buffer reader on memory the test lays out as the kernel does:
 * consumer and producer positions, and a data area mapped twice in a row,
 * here by writing every byte to both copies. No kernel involved: the
 * probes' tests read real rings.
 */
class RingReaderTest {

    private static final long SIZE = 64;
    private static final long DATA = 16;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment consumer = arena.allocate(8, 8);
    private final MemorySegment producer = arena.allocate(DATA + 2 * SIZE, 8);
    private final RingReader reader = new RingReader(consumer, producer, DATA, SIZE);
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void handsEachCommittedRecordOverInOrderAndFreesItsSpace() {
        long end = append(0, 0, "one");
        end = append(end, 0, "two, longer");

        assertThat(reader.pending()).isEqualTo(end);
        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(2);
        assertThat(seen).containsExactly("one", "two, longer");
        assertThat(consumerPos()).as("8-aligned: 8+3 and 8+11 bytes").isEqualTo(16 + 24).isEqualTo(end);
        assertThat(reader.pending()).isZero();
    }

    @Test
    void stopsAtARecordStillBeingWrittenAndGoesOnOnceItIsCommitted() {
        long busy = append(0, 0, "first");
        long end = append(busy, RingReader.BUSY, "second");

        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(consumerPos()).isEqualTo(busy);

        header(busy, "second".length());
        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("first", "second");
        assertThat(consumerPos()).isEqualTo(end);
    }

    @Test
    void passesOverDiscardedRecordsWithoutCountingThem() {
        long end = append(0, RingReader.DISCARD, "dropped");
        end = append(end, 0, "kept");

        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("kept");
        assertThat(consumerPos()).isEqualTo(end);
    }

    @Test
    void aRecordThatWrapsIsReadWholeThroughTheSecondMapping() {
        start(40);
        long end = append(40, 0, "0123456789abcdefghij");

        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("0123456789abcdefghij");
        assertThat(consumerPos()).isEqualTo(end).isEqualTo(40 + 32);
    }

    @Test
    void aRecordWhoseHeaderTakesTheLastBytesOfTheAreaHasItsDataAtTheStart() {
        start(SIZE - 8);
        long end = append(SIZE - 8, 0, "at the start");

        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("at the start");
        assertThat(consumerPos()).isEqualTo(end);
    }

    @Test
    void handsOverNoMoreThanAsked() {
        long end = 0;
        for (String text : List.of("a", "b", "c")) {
            end = append(end, 0, text);
        }

        assertThat(reader.consume(this::record, 2)).isEqualTo(2);
        assertThat(reader.consume(this::record, 2)).isEqualTo(1);
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(consumerPos()).isEqualTo(end);
    }

    @Test
    void aRecordWhoseHandlerFailsIsStillFreed() {
        long end = append(0, 0, "bad");
        append(end, 0, "next");

        assertThatThrownBy(() -> reader.consume((memory, offset, length) -> {
            throw new IllegalStateException("cannot decode");
        }, Integer.MAX_VALUE)).hasMessage("cannot decode");
        assertThat(consumerPos()).isEqualTo(end);
        assertThat(reader.consume(this::record, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(seen).containsExactly("next");
    }

    @Test
    void refusesAnAreaThatIsNotAPowerOfTwoOrNotMappedTwice() {
        assertThatThrownBy(() -> new RingReader(consumer, producer, DATA, 48)).hasMessageContaining("48 bytes");
        assertThatThrownBy(() -> new RingReader(consumer, producer, DATA + 8, SIZE)).hasMessageContaining("mapped twice");
    }

    private void record(MemorySegment memory, long offset, int length) {
        seen.add(new String(memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
    }

    /** Both positions at {@code position}, as after earlier records. */
    private void start(long position) {
        consumer.set(ValueLayout.JAVA_LONG, 0, position);
        producer.set(ValueLayout.JAVA_LONG, 0, position);
    }

    /** Writes a record at {@code position} the way the kernel does and moves producer_pos past it; returns that. */
    private long append(long position, int flags, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            put(position + RingReader.HEADER + i, bytes[i]);
        }
        header(position, bytes.length | flags);
        long end = position + ((RingReader.HEADER + bytes.length + 7) & ~7L);
        producer.set(ValueLayout.JAVA_LONG, 0, end);
        return end;
    }

    private void header(long position, int length) {
        for (int i = 0; i < 4; i++) {
            put(position + i, (byte) (length >>> 8 * i));
        }
    }

    /** One byte of the data area, in both of its mappings. */
    private void put(long position, byte value) {
        long at = position & (SIZE - 1);
        producer.set(ValueLayout.JAVA_BYTE, DATA + at, value);
        producer.set(ValueLayout.JAVA_BYTE, DATA + SIZE + at, value);
    }

    private long consumerPos() {
        return consumer.get(ValueLayout.JAVA_LONG, 0);
    }
}
