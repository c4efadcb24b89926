package io.bpfscope.bench;

import java.util.List;
import java.util.stream.Stream;

/**
 * A scenario's configurations: those it runs unless -c says otherwise, those
 * it runs only when named, and its baselines, which run whenever it does.
 */
record Catalogue(List<Configuration> usual, List<Configuration> extras, List<String> always) {

    boolean knows(String name) {
        return names().contains(name);
    }

    List<String> names() {
        return Stream.concat(usual.stream(), extras.stream()).map(Configuration::name).toList();
    }

    List<Configuration> pick(List<String> named) {
        if (named.isEmpty()) {
            return usual;
        }
        if (named.stream().noneMatch(this::knows)) {
            return List.of();
        }
        return Stream.concat(usual.stream(), extras.stream())
                .filter(c -> always.contains(c.name()) || named.contains(c.name())).toList();
    }
}
