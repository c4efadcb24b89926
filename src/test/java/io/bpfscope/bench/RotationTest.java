package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RotationTest {

    @Test
    void eachRoundStartsOneFurtherSoEveryConfigurationTakesEveryPosition() {
        List<String> configurations = List.of("nothing", "empty", "bpfscope");

        assertThat(Rotation.of(configurations, 1)).containsExactly("nothing", "empty", "bpfscope");
        assertThat(Rotation.of(configurations, 2)).containsExactly("empty", "bpfscope", "nothing");
        assertThat(Rotation.of(configurations, 3)).containsExactly("bpfscope", "nothing", "empty");
        assertThat(Rotation.of(configurations, 4)).isEqualTo(Rotation.of(configurations, 1));
    }

    @Test
    void roundsCountFromOne() {
        assertThatThrownBy(() -> Rotation.of(List.of("a"), 0)).hasMessageContaining("from 1");
    }
}
