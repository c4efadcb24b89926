package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class CommCacheTest {

    private final Arena arena = Arena.ofAuto();

    private MemorySegment comm(String name) {
        MemorySegment field = arena.allocate(24);
        field.setString(4, name);
        return field;
    }

    @Test
    void aRepeatedCommIsTheSameStringAndNewOnesAreRead() {
        String first = CommCache.comm(comm("nginx"), 4);
        String again = CommCache.comm(comm("nginx"), 4);
        String other = CommCache.comm(comm("postgres"), 4);

        assertThat(first).isEqualTo("nginx").isSameAs(again);
        assertThat(other).isEqualTo("postgres");
    }

    @Test
    void aFullSixteenByteCommWithoutNulIsReadWhole() {
        MemorySegment field = arena.allocate(16);
        field.fill((byte) 'x');

        assertThat(CommCache.comm(field, 0)).isEqualTo("x".repeat(16));
    }
}
