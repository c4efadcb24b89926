package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakSettingsTest {

    private static final Map<String, String> DEFAULTS = Map.of("j", "target/quarkus-app/quarkus-run.jar", "O",
            "scripts/jvm.options", "d", "60", "w", "10", "R", "1000000", "N", "2", "C", "32", "u", "/events?type=exec",
            "g", "20", "J", "");

    private static SoakSettings of(String... arguments) {
        return SoakSettings.of(Options.parse(arguments, DEFAULTS));
    }

    @Test
    void theWritersShareTheRateAndEachWritesItsLineOfFiguresToo() {
        SoakSettings settings = of();

        assertThat(settings.writesPerSecondPerWriter()).isEqualTo(500_000);
        assertThat(settings.writesPerWriter()).isEqualTo(30_000_000);
        assertThat(settings.traced()).isEqualTo(60_000_002);
        assertThat(settings.moreJvmOptions()).isEmpty();
        assertThat(settings.execGapMs()).isEqualTo(20);
    }

    @Test
    void moreJvmOptionsAreOneArgumentSplitAtWhiteSpaceAndMayNameTheExportFile() {
        SoakSettings settings = of("-J", " -XX:+UseSerialGC  -Dbpfscope.export.file=/tmp/events.jsonl ", "-g", "2.5");

        assertThat(settings.moreJvmOptions()).containsExactly("-XX:+UseSerialGC", "-Dbpfscope.export.file=/tmp/events.jsonl");
        assertThat(settings.exportFile()).contains(Path.of("/tmp/events.jsonl"));
        assertThat(settings.execGapMs()).isEqualTo(2.5);
        assertThat(of().exportFile()).isEmpty();
    }

    @Test
    void aRunTooShortForItsWarmUpOrAPathOutsideTheEventsIsRefused() {
        assertThatThrownBy(() -> of("-d", "19", "-w", "10")).hasMessageContaining("-d >= -w + 10");
        assertThatThrownBy(() -> of("-N", "3", "-R", "2")).hasMessageContaining("-N <= -R");
        assertThatThrownBy(() -> of("-g", "0")).hasMessageContaining("-g > 0");
        assertThatThrownBy(() -> of("-g", "soon")).hasMessage("-g wants milliseconds, not 'soon'");
        assertThatThrownBy(() -> of("-u", "/q/metrics")).hasMessage("-u wants an /events path, not '/q/metrics'");
    }
}
