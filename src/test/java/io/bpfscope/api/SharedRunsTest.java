package io.bpfscope.api;

import io.bpfscope.event.EventFilter;
import io.bpfscope.event.EventHub;
import io.bpfscope.event.WriteEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class SharedRunsTest {

    private static final EventFilter WRITES_OF_7 = new EventFilter(0, new int[] {7}, Set.of(), Set.of(), Set.of(), Set.of());
    private static final EventFilter WRITES_OF_8 = new EventFilter(0, new int[] {8}, Set.of(), Set.of(), Set.of(), Set.of());

    private final EventHub hub = new EventHub(1 << 16, Long.MAX_VALUE);
    private final SharedRuns runs = new SharedRuns(hub);

    private static ByteBuf bytes(String text) {
        return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRunIsFoundByItsFilterAndStartOnlyAndHandedOutRetained() {
        ByteBuf encoded = bytes("event: write\n");
        runs.offer(WRITES_OF_7, 1, 5, encoded);

        assertThat(runs.take(WRITES_OF_8, 1)).isNull();
        assertThat(runs.take(WRITES_OF_7, 2)).isNull();
        SharedRuns.Run taken = runs.take(new EventFilter(0, new int[] {7}, Set.of(), Set.of(), Set.of(), Set.of()), 1);

        assertThat(taken.to()).isEqualTo(5);
        assertThat(taken.bytes().toString(StandardCharsets.UTF_8)).isEqualTo("event: write\n");
        assertThat(encoded.refCnt()).as("the caller's, the cache's and the taker's").isEqualTo(3);
        taken.bytes().readByte();
        assertThat(runs.take(WRITES_OF_7, 1).bytes().readableBytes()).as("indexes are each taker's own").isEqualTo(13);
    }

    @Test
    void theFirstOfTwoEqualRunsStays() {
        ByteBuf first = bytes("first");
        ByteBuf second = bytes("second");
        runs.offer(WRITES_OF_7, 1, 5, first);
        runs.offer(WRITES_OF_7, 1, 6, second);

        assertThat(runs.take(WRITES_OF_7, 1).to()).isEqualTo(5);
        assertThat(second.refCnt()).as("not kept").isEqualTo(1);
    }

    @Test
    void runsTooFarBehindTheNewestEventAreLetGo() {
        ByteBuf old = bytes("old");
        runs.offer(WRITES_OF_7, 1, 2, old);
        for (long i = 0; i < SharedRuns.KEEP_SEQUENCES + 10; i++) {
            hub.publish(new WriteEvent(i, 1, 7, 7, 1, 1, "w"));
        }

        runs.offer(WRITES_OF_7, SharedRuns.KEEP_SEQUENCES, SharedRuns.KEEP_SEQUENCES + 5, bytes("new"));

        assertThat(runs.take(WRITES_OF_7, 1)).isNull();
        assertThat(old.refCnt()).as("released by the cache").isEqualTo(1);
        assertThat(runs.size()).isEqualTo(1);
    }

    @Test
    void atMostMaxRunsAreKeptOldestGoingFirst() {
        List<ByteBuf> offered = new ArrayList<>();
        for (int i = 0; i <= SharedRuns.MAX_RUNS; i++) {
            ByteBuf run = bytes("run " + i);
            offered.add(run);
            runs.offer(WRITES_OF_7, i + 1, i + 2, run);
        }

        assertThat(runs.size()).isEqualTo(SharedRuns.MAX_RUNS);
        assertThat(runs.take(WRITES_OF_7, 1)).isNull();
        assertThat(offered.getFirst().refCnt()).isEqualTo(1);
        assertThat(runs.take(WRITES_OF_7, SharedRuns.MAX_RUNS + 1)).isNotNull();
    }
}
