package io.bpfscope.bench;

import java.util.List;

/** A scenario's part of a report, and its rows of the report's targets table. */
record Section(String text, List<String> targets) {

    Section {
        targets = List.copyOf(targets);
    }
}
