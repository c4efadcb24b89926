package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which configurations -c picks from a scenario's catalogue. */
class CatalogueTest {

    private final Catalogue write = new Catalogue(
            List.of(new Nothing("nothing"), new Nothing("empty"), new Nothing("ref"), new Nothing("bpfscope")),
            List.of(new Nothing("parts_all")), List.of("nothing", "empty"));

    @Test
    void withoutNamesEveryUsualConfigurationRunsAndNoExtra() {
        assertThat(names(write.pick(List.of()))).containsExactly("nothing", "empty", "ref", "bpfscope");
    }

    @Test
    void namedOnesRunWithTheBaselinesInTheCataloguesOrder() {
        assertThat(names(write.pick(List.of("parts_all", "ref")))).containsExactly("nothing", "empty", "ref", "parts_all");
    }

    @Test
    void aScenarioNoneOfWhoseConfigurationsIsNamedDoesNotRun() {
        assertThat(write.pick(List.of("exec_bpfscope"))).isEmpty();
        assertThat(write.knows("exec_bpfscope")).isFalse();
    }

    private static List<String> names(List<Configuration> configurations) {
        return configurations.stream().map(Configuration::name).toList();
    }
}
