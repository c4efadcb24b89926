package io.bpfscope.bench;

import java.util.HashMap;
import java.util.Map;

/** Single-letter options with a value each (-n 1000), checked against the ones a subcommand knows. */
record Options(Map<String, String> values) {

    static Options parse(String[] arguments, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < arguments.length; i += 2) {
            String flag = arguments[i];
            if (!flag.startsWith("-") || flag.length() != 2 || !defaults.containsKey(flag.substring(1))) {
                throw new IllegalArgumentException("unknown option " + flag + " (known: -"
                        + String.join(" -", defaults.keySet().stream().sorted().toList()) + ")");
            }
            if (i + 1 >= arguments.length) {
                throw new IllegalArgumentException(flag + " wants a value");
            }
            values.put(flag.substring(1), arguments[i + 1]);
        }
        return new Options(values);
    }

    String text(String key) {
        return values.get(key);
    }

    /** A whole number of at least 0. */
    long count(String key) {
        try {
            long value = Long.parseLong(values.get(key));
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException("-" + key + " wants a whole number, not '" + values.get(key) + "'");
    }

    /** A whole number of at least 1. */
    long positive(String key) {
        long value = count(key);
        if (value == 0) {
            throw new IllegalArgumentException("-" + key + " wants a positive number, not 0");
        }
        return value;
    }
}
