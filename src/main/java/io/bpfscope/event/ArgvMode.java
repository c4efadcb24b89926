package io.bpfscope.event;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bpfscope.exec.argv}: what of an exec's arguments leaves the decoder,
 * decided once per event before it reaches the hub, so that no client, log
 * or replay ever holds more. The filename is always kept.
 */
public enum ArgvMode {
    /** As the kernel read them. */
    FULL,
    /** With the values of secret-looking names masked ({@link ArgvRedaction}). */
    REDACTED,
    /** None: argv is empty; argvTruncated still says whether the kernel cut them. */
    OFF;

    /** The mode a setting names, in any case. */
    public static Optional<ArgvMode> parse(String setting) {
        return Arrays.stream(values()).filter(mode -> mode.name().equalsIgnoreCase(setting.strip())).findFirst();
    }

    /** "full, redacted or off", for messages about a bad setting. */
    public static String choices() {
        List<String> names = Arrays.stream(values()).map(mode -> mode.name().toLowerCase(Locale.ROOT)).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    public ExecEvent apply(ExecEvent exec) {
        List<String> argv = switch (this) {
            case FULL -> exec.argv();
            case REDACTED -> ArgvRedaction.redact(exec.argv());
            case OFF -> List.of();
        };
        return argv == exec.argv() ? exec : exec.withArgv(argv);
    }
}
