package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class EventHubTest {

    private static WriteEvent write(int n) {
        return new WriteEvent(n, 1, 100, 100, 1, n, "w");
    }

    /**
     * What a subscriber was handed: event sequence numbers, gaps as {from, count},
     * and what it was told of each loss cause, in total.
     */
    private static final class Recorder implements Subscription.Sink {
        final List<Long> seqs = new ArrayList<>();
        final List<long[]> gaps = new ArrayList<>();
        final Map<LossCause, Long> told = new EnumMap<>(LossCause.class);
        final List<Long> lossSlots = new ArrayList<>();

        @Override
        public void event(EventHub.Slot slot) {
            seqs.add(slot.seq());
        }

        @Override
        public void loss(EventHub.Slot slot, long untold) {
            lossSlots.add(slot.seq());
            told.merge(((Loss) slot.message()).cause(), untold, Long::sum);
        }

        @Override
        public void lost(long fromSeq, long count, List<Loss> untold) {
            gaps.add(new long[] {fromSeq, count});
            untold.forEach(loss -> told.merge(loss.cause(), loss.count(), Long::sum));
        }
    }

    @Test
    void lossesTravelInOrderWithTheEvents() {
        EventHub hub = new EventHub(16, Long.MAX_VALUE);
        Subscription subscription = hub.subscribe();
        hub.publish(write(1));
        hub.publish(LossCause.WRITE_BUFFER_FULL, 500, 1);
        hub.publish(write(2));
        hub.signal();
        Recorder recorder = new Recorder();

        assertThat(subscription.drain(recorder, 100)).isEqualTo(3);
        assertThat(recorder.seqs).containsExactly(1L, 3L);
        assertThat(recorder.lossSlots).containsExactly(2L);
        assertThat(recorder.told).containsExactly(Map.entry(LossCause.WRITE_BUFFER_FULL, 500L));
    }

    @Test
    void aSubscriberThatSkipsLossesIsToldThemAtTheGapAndNotAgain() {
        EventHub hub = new EventHub(8, Long.MAX_VALUE);
        Subscription slow = hub.subscribe();
        for (int i = 0; i < 20; i++) {
            hub.publish(write(i));
            if (i % 5 == 0) {
                hub.publish(LossCause.EXEC_UNMATCHED, 3, i);
                hub.publish(LossCause.WRITE_BUFFER_FULL, 10, i);
            }
        }
        hub.signal();
        Recorder recorder = new Recorder();
        while (slow.drain(recorder, 100) > 0) {
            // until it read all the ring holds
        }

        assertThat(recorder.gaps).as("gaps").isNotEmpty();
        assertThat(recorder.lossSlots).as("losses read from the ring, told already at the gap").isNotEmpty();
        assertThat(recorder.told).containsExactlyInAnyOrderEntriesOf(
                Map.of(LossCause.EXEC_UNMATCHED, 12L, LossCause.WRITE_BUFFER_FULL, 40L));
    }

    @Test
    void aReplayTellsTheLossesTheRingHoldsFromWhereItStarts() {
        EventHub hub = new EventHub(16, Long.MAX_VALUE);
        hub.publish(LossCause.EXIT_BUFFER_FULL, 7, 1);
        long second = hub.publish(write(1));
        hub.publish(LossCause.EXIT_BUFFER_FULL, 2, 2);
        hub.signal();
        Recorder fromStart = new Recorder();
        Recorder fromSecond = new Recorder();

        hub.subscribe(1).drain(fromStart, 100);
        hub.subscribe(second).drain(fromSecond, 100);

        assertThat(fromStart.told).containsExactly(Map.entry(LossCause.EXIT_BUFFER_FULL, 9L));
        assertThat(fromSecond.told).containsExactly(Map.entry(LossCause.EXIT_BUFFER_FULL, 2L));
    }

    @Test
    void numbersFromOneAndHandsOverInOrder() {
        EventHub hub = new EventHub(8, Long.MAX_VALUE);
        Subscription subscription = hub.subscribe();
        for (int i = 0; i < 5; i++) {
            assertThat(hub.publish(write(i))).isEqualTo(i + 1);
        }
        Recorder recorder = new Recorder();
        assertThat(subscription.drain(recorder, 100)).as("nothing before the signal").isZero();
        hub.signal();

        assertThat(subscription.drain(recorder, 100)).isEqualTo(5);
        assertThat(recorder.seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(recorder.gaps).isEmpty();
        assertThat(subscription.drain(recorder, 100)).isZero();
    }

    @Test
    void aSubscriberThatFallsBehindLosesOnlyWhatWasOverwrittenAndIsTold() {
        EventHub hub = new EventHub(8, Long.MAX_VALUE);
        Subscription slow = hub.subscribe();
        Subscription fast = hub.subscribe();
        Recorder fastRecorder = new Recorder();
        for (int i = 0; i < 20; i++) {
            hub.publish(write(i));
            hub.signal();
            fast.drain(fastRecorder, 100);
        }
        Recorder slowRecorder = new Recorder();

        slow.drain(slowRecorder, 100);

        assertThat(fastRecorder.seqs).hasSize(20);
        assertThat(fastRecorder.gaps).isEmpty();
        assertThat(slowRecorder.gaps).singleElement().satisfies(gap -> assertThat(gap).containsExactly(1, 12));
        assertThat(slowRecorder.seqs).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(hub.lostBySubscribers()).isEqualTo(12);
    }

    @Test
    void theRingHoldsNoMoreThanItsBytesAndAReaderBehindThemIsToldWhatWent() {
        int perEvent = write(0).retainedBytes();
        EventHub hub = new EventHub(64, 3L * perEvent);
        Subscription behind = hub.subscribe();
        for (int i = 0; i < 10; i++) {
            hub.publish(write(i));
        }
        hub.signal();
        Recorder recorder = new Recorder();

        behind.drain(recorder, 100);

        assertThat(recorder.gaps).singleElement().satisfies(gap -> assertThat(gap).containsExactly(1, 7));
        assertThat(recorder.seqs).containsExactly(8L, 9L, 10L);
        assertThat(hub.lostBySubscribers()).isEqualTo(7);
        assertThat(hub.subscribe(1).cursor()).as("a replay may ask for what went").isEqualTo(1);
    }

    @Test
    void anEventLargerThanTheRingsBytesIsStillHandedOver() {
        EventHub hub = new EventHub(8, 1);
        Subscription subscription = hub.subscribe();
        hub.publish(write(1));
        hub.publish(write(2));
        hub.signal();
        Recorder recorder = new Recorder();

        subscription.drain(recorder, 100);

        assertThat(recorder.seqs).containsExactly(2L);
        assertThat(recorder.gaps).singleElement().satisfies(gap -> assertThat(gap).containsExactly(1, 1));
    }

    @Test
    void anExecHoldsItsStringsTwiceAndAWriteAFixedAmount() {
        ExecEvent small = new ExecEvent(1, 1, "/a/b", 1, 1, 0, 0, 0, 0, "true", "/bin/true", false,
                List.of("/bin/true"), false);
        ExecEvent large = small.withArgv(List.of("/bin/true", "x".repeat(4000)));

        assertThat(large.retainedBytes() - small.retainedBytes()).isEqualTo(2 * 4000 + 40);
        assertThat(write(1).retainedBytes()).isEqualTo(write(2).retainedBytes());
    }

    @Test
    void replayStartsWhereAskedOrReportsWhatIsGone() {
        EventHub hub = new EventHub(8, Long.MAX_VALUE);
        for (int i = 0; i < 10; i++) {
            hub.publish(write(i));
        }
        hub.signal();
        Recorder recent = new Recorder();
        hub.subscribe(7).drain(recent, 100);
        assertThat(recent.seqs).containsExactly(7L, 8L, 9L, 10L);

        Recorder old = new Recorder();
        hub.subscribe(1).drain(old, 100);
        assertThat(old.gaps).singleElement().satisfies(gap -> assertThat(gap).containsExactly(1, 2));
        assertThat(old.seqs).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

        Recorder future = new Recorder();
        Subscription ahead = hub.subscribe(1_000);
        assertThat(ahead.cursor()).isEqualTo(11);
        hub.publish(write(11));
        hub.signal();
        ahead.drain(future, 100);
        assertThat(future.seqs).containsExactly(11L);
    }

    @Test
    void awaitWakesOnSignalAndSaysNothingCameWhenWokenOtherwise() throws Exception {
        EventHub hub = new EventHub(8, Long.MAX_VALUE);
        Subscription subscription = hub.subscribe();
        Thread waiting = Thread.currentThread();

        Thread waker = Thread.ofVirtual().start(() -> {
            pause(50);
            LockSupport.unpark(waiting);
        });
        assertThat(subscription.await()).isFalse();
        waker.join();

        Thread publisher = Thread.ofVirtual().start(() -> {
            pause(50);
            hub.publish(write(1));
            hub.signal();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean ready = subscription.await();
        while (!ready && System.nanoTime() < deadline) {
            // park may return for no reason: only a signal makes it ready
            ready = subscription.await();
        }
        assertThat(ready).isTrue();
        publisher.join();
        subscription.close();
        assertThat(hub.subscribers()).isZero();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void concurrentPublishersLoseNothingAndRepeatNoNumber() throws Exception {
        EventHub hub = new EventHub(1 << 16, Long.MAX_VALUE);
        Subscription subscription = hub.subscribe();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            publishers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    hub.publish(write(i));
                }
            }));
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        hub.signal();
        Recorder recorder = new Recorder();

        while (subscription.drain(recorder, 100_000) > 0) {
            // all published before draining
        }

        assertThat(recorder.seqs).hasSize(40_000).doesNotHaveDuplicates().isSorted();
        assertThat(recorder.gaps).isEmpty();
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new EventHub(1000, Long.MAX_VALUE)).hasMessageContaining("power of two");
    }
}
