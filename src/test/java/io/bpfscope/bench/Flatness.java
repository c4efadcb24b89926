package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a memory figure stayed flat between the end of the warm-up and the
 * end of the load: the mean of its last 5 s is less than 5% above the mean
 * of its first 5 s, and the 5 s means do not rise at every step, so a steady
 * climb fails even under 5%. {@code window} holds the points judged.
 */
record Flatness(boolean ok, String text, List<Point> window) {

    static final double GROWTH_LIMIT = 0.05;
    private static final double STEP_SECONDS = 5;

    /** A value (bytes) at {@code seconds} since the writers were released. */
    record Point(double seconds, double value) {
    }

    Flatness {
        window = List.copyOf(window);
    }

    static Flatness judge(List<Point> points, double start, double end) {
        List<Point> window = points.stream().filter(p -> start <= p.seconds() && p.seconds() <= end).toList();
        List<Double> steps = new ArrayList<>();
        for (int k = 0; k < (int) Math.floor((end - start) / STEP_SECONDS); k++) {
            double from = start + STEP_SECONDS * k;
            double to = start + STEP_SECONDS * (k + 1);
            List<Point> step = window.stream().filter(p -> from <= p.seconds() && p.seconds() < to).toList();
            if (!step.isEmpty()) {
                steps.add(step.stream().mapToDouble(Point::value).average().orElseThrow());
            }
        }
        if (steps.size() < 2) {
            return new Flatness(false, "too few points after the warm-up", window);
        }
        double growth = (steps.getLast() - steps.getFirst()) / steps.getFirst();
        boolean climbing = steps.size() >= 3;
        for (int k = 1; k < steps.size() && climbing; k++) {
            climbing = steps.get(k) > steps.get(k - 1);
        }
        String text = String.format(Locale.ROOT, "last 5 s %+.1f%% over the first 5 s after the warm-up (limit +%.0f%%),"
                + " %s, slope %+.2f MiB/min", 100 * growth, 100 * GROWTH_LIMIT,
                climbing ? "rises at every 5 s step" : "no steady climb", slopePerMinute(window) / (1 << 20));
        return new Flatness(growth < GROWTH_LIMIT && !climbing, text, window);
    }

    /** The least-squares slope of the points, per minute; 0 when they all share one time. */
    static double slopePerMinute(List<Point> points) {
        double meanT = points.stream().mapToDouble(Point::seconds).average().orElse(0);
        double meanV = points.stream().mapToDouble(Point::value).average().orElse(0);
        double variance = 0;
        double covariance = 0;
        for (Point p : points) {
            variance += (p.seconds() - meanT) * (p.seconds() - meanT);
            covariance += (p.seconds() - meanT) * (p.value() - meanV);
        }
        return variance == 0 ? 0 : 60 * covariance / variance;
    }
}
