package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestGuardsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/events", "/events?type=exec&comm=sh", "/events?comm=%C3%A9", "/filters/pids/%34%32",
        "/events?comm=%F0%9F%98%80", "/q/metrics?name%5B%5D=x", "/a+b?c=d%20e"})
    void asciiTargetsWhoseEscapesAreUtf8Pass(String target) {
        assertThat(RequestGuards.malformed(target)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/events?comm=\u00ff", "/filters/pids/\u00e9", "/events?comm=a\u0000b", "/a b",
        "/events?comm=\u007f"})
    void bytesOutsidePrintableAsciiAreRefused(String target) {
        assertThat(RequestGuards.malformed(target)).contains("must be ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/events?comm=%ff", "/events?comm=%C3", "/events?comm=%ED%A0%80", "/%C0%AF",
        "/events?%FE=1"})
    void escapesThatAreNotUtf8AreRefused(String target) {
        assertThat(RequestGuards.malformed(target)).contains("not UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/events?comm=%", "/events?comm=%4", "/events?comm=%zz", "/%g0"})
    void malformedEscapesAreRefused(String target) {
        assertThat(RequestGuards.malformed(target)).contains("malformed percent-escape");
    }
}
