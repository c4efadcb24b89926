package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The order configurations run in, round by round: rotated by one each
 * round, so every configuration takes every position and a drift of the
 * machine over the run favours none of them.
 */
public final class Rotation {

    private Rotation() {
    }

    /** The order of round {@code round} (1 first): round 1 as given, round 2 starting with the second, and so on. */
    public static <T> List<T> of(List<T> configurations, int round) {
        if (round < 1) {
            throw new IllegalArgumentException("rounds count from 1, not " + round);
        }
        List<T> order = new ArrayList<>(configurations.size());
        for (int k = 0; k < configurations.size(); k++) {
            order.add(configurations.get((k + round - 1) % configurations.size()));
        }
        return order;
    }
}
