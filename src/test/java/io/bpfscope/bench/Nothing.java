package io.bpfscope.bench;

import java.util.List;

/** Nothing attached: the baseline every overhead is measured from. */
public record Nothing(String name) implements Configuration {

    @Override
    public String description() {
        return "nothing attached";
    }

    @Override
    public Attached start(Run run, long target) {
        return Configuration.attached(List.of(), () -> Outcome.of(""));
    }
}
