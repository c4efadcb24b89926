package io.bpfscope.eventid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdSpaceTest {

    private final IdSpace earlier = new IdSpace(42, 1_000);
    private final IdSpace space = new IdSpace(42, 5_000);

    @Test
    void idsGrowWithTheSequenceAndAcrossInstancesAndCarryTheTag() {
        assertThat(space.id(1)).isGreaterThan(space.id(0));
        assertThat(space.id(0)).isGreaterThan(earlier.id(3_999));
        assertThat(space.id(7) & (IdSpace.TAGS - 1)).isEqualTo(42);
    }

    @Test
    void anIdOfThisInstanceResumesAfterIt() {
        assertThat(space.resume(space.id(10), 20)).isEqualTo(new IdSpace.Resume(11, Optional.empty()));
        assertThat(space.resume(space.id(0), 20)).isEqualTo(new IdSpace.Resume(1, Optional.empty()));
        assertThat(space.resume(space.id(19), 20)).isEqualTo(new IdSpace.Resume(20, Optional.empty()));
    }

    @Test
    void anIdOfAnEarlierInstanceIsARestartWindowThenEverythingThisInstanceHas() {
        IdSpace.Resume resume = space.resume(earlier.id(5), 20);

        assertThat(resume.fromSeq()).isEqualTo(1);
        assertThat(resume.missed()).contains(new IdSpace.MissedWindow("restart", earlier.id(6), space.id(0)));
    }

    @Test
    void anIdNotGivenYetOrOfAnotherNodeIsAnUnknownWindowThenLive() {
        IdSpace otherNode = new IdSpace(43, 5_000);

        assertThat(space.resume(space.id(20), 20)).isEqualTo(new IdSpace.Resume(20,
                Optional.of(new IdSpace.MissedWindow("unknown", space.id(20), space.id(19)))));
        assertThat(space.resume(otherNode.id(3), 20).missed()).hasValueSatisfying(
                missed -> assertThat(missed.reason()).isEqualTo("unknown"));
        assertThat(space.resume(new IdSpace(43, 0).id(3), 20).missed()).hasValueSatisfying(
                missed -> assertThat(missed.reason()).as("another node's lower id").isEqualTo("unknown"));
    }

    @Test
    void aTagOrBaseOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new IdSpace(IdSpace.TAGS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdSpace(0, IdSpace.NUMBERS)).isInstanceOf(IllegalArgumentException.class);
    }
}
