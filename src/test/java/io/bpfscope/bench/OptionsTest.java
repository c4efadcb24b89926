package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final Map<String, String> DEFAULTS = Map.of("n", "10000000", "r", "5", "c", "");

    @Test
    void givenValuesReplaceTheDefaults() {
        Options options = Options.parse(new String[] {"-n", "1000", "-c", "ref,bpftrace"}, DEFAULTS);

        assertThat(options.positive("n")).isEqualTo(1000);
        assertThat(options.positive("r")).isEqualTo(5);
        assertThat(options.text("c")).isEqualTo("ref,bpftrace");
    }

    @Test
    void badInputIsSaidWithWhatIsWanted() {
        assertThatThrownBy(() -> Options.parse(new String[] {"-x", "1"}, DEFAULTS))
                .hasMessage("unknown option -x (known: -c -n -r)");
        assertThatThrownBy(() -> Options.parse(new String[] {"-n"}, DEFAULTS)).hasMessage("-n wants a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"-n", "many"}, DEFAULTS).positive("n"))
                .hasMessage("-n wants a whole number, not 'many'");
        assertThatThrownBy(() -> Options.parse(new String[] {"-r", "0"}, DEFAULTS).positive("r"))
                .hasMessage("-r wants a positive number, not 0");
    }
}
