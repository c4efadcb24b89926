package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The values one figure took over the kept runs of a configuration: the
 * median decides, the minimum and maximum say how much the machine moved.
 */
public record Samples(List<Double> values) {

    public Samples {
        values = List.copyOf(values);
    }

    public static Samples of(double... values) {
        List<Double> list = new ArrayList<>();
        for (double value : values) {
            list.add(value);
        }
        return new Samples(list);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public int count() {
        return values.size();
    }

    /** The middle value, or the mean of the two middle ones; NaN when there are none. */
    public double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The value at index floor(n * p) of the sorted values (the last for p
     * = 1), NaN when there are none: always a value that occurred, never one
     * interpolated between two.
     */
    public double percentile(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("a percentile is a fraction from 0 to 1, not " + p);
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted();
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }

    public double min() {
        return values.isEmpty() ? Double.NaN : Collections.min(values);
    }

    public double max() {
        return values.isEmpty() ? Double.NaN : Collections.max(values);
    }

    /** "v" when every run agrees, "min..max" when they differ, "-" when there are none. */
    public String range() {
        if (values.isEmpty()) {
            return "-";
        }
        return min() == max() ? number(min()) : number(min()) + ".." + number(max());
    }

    /** How many of the runs are at most {@code bound}, as "k of n". */
    public String countAtMost(double bound) {
        return values.stream().filter(value -> value <= bound).count() + " of " + values.size();
    }

    /** {@code a / b} to two decimals, "n/a" when either is missing or b is not positive. */
    public static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** An integer without a decimal point, anything else to one decimal. */
    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
