package io.bpfscope.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.filter.PidFilter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;

/**
 * Has Jackson build what the filter API reads and writes at start-up. On
 * first use it loads and links some 300 classes, which would otherwise
 * delay the first filter change, and so the first event of the PID it adds,
 * past the 100 ms a user waits for it.
 */
@ApplicationScoped
class ApiWarmUp {

    void onStart(@Observes StartupEvent event, ObjectMapper mapper, PidFilter filter) throws IOException {
        mapper.readTree("{\"pid\":1,\"pids\":[1],\"followChildren\":false}");
        mapper.writeValueAsBytes(filter.state());
    }
}
