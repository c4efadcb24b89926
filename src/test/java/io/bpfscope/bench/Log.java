package io.bpfscope.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress on standard error; the report is the file. */
final class Log {

    private Log() {
    }

    static void say(String format, Object... arguments) {
        System.err.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] "
                + String.format(Locale.ROOT, format, arguments));
    }
}
