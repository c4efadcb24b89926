package io.bpfscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.junit.jupiter.api.Test;

/**
 * The meters Quarkus registers only once something happens (a connection
 * error), which the live scrape of ExpositionFormatsTest may not see, get
 * help text too; the renamed and replaced ones are as README lists them.
 */
class MeterConventionsTest {

    private final MeterFilter conventions = new MeterConventions().conventions();

    @Test
    void metersRegisteredLateGetHelpText() {
        for (String name : new String[] {"http.server.errors", "http.server.active.requests"}) {
            Meter.Id mapped = conventions.map(new Meter.Id(name, Tags.empty(), null, null, Meter.Type.COUNTER));
            assertThat(mapped.getDescription()).as(name).isNotBlank();
        }
    }

    @Test
    void aMeterWithItsOwnHelpKeepsIt() {
        Meter.Id mapped = conventions.map(new Meter.Id("http.server.errors", Tags.empty(), null, "its own",
                Meter.Type.COUNTER));
        assertThat(mapped.getDescription()).isEqualTo("its own");
    }

    @Test
    void renamedAndReplacedMeters() {
        assertThat(conventions.map(new Meter.Id("system.cpu.count", Tags.empty(), null, "CPUs", Meter.Type.GAUGE))
                .getName()).isEqualTo("jvm.available.processors");
        assertThat(conventions.accept(new Meter.Id("process.cpu.time", Tags.empty(), null, null, Meter.Type.COUNTER)))
                .isEqualTo(MeterFilterReply.DENY);
    }
}
