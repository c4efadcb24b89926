package io.bpfscope.libbpf;

import io.bpfscope.sys.Libc;
import io.bpfscope.sys.SystemCallException;
import java.util.List;

/**
 * A failed libbpf call: the operation, the errno with its name, and
 * whatever libbpf logged while the call ran, which for a program the verifier
 * rejects is the verifier log.
 */
public final class LibbpfException extends SystemCallException {

    private final List<String> log;

    public LibbpfException(String operation, int errno, List<String> log) {
        super(operation, errno, describe(operation, errno, log));
        this.log = List.copyOf(log);
    }

    static LibbpfException ofErrno(String operation, int errno) {
        return new LibbpfException(operation, errno, List.of());
    }

    /** For libbpf calls that return {@code -errno}. */
    public static LibbpfException ofReturn(String operation, int rc, List<String> log) {
        return new LibbpfException(operation, -rc, log);
    }

    /** What libbpf logged during the failed call, in order; the verifier log is among these lines. */
    public List<String> log() {
        return log;
    }

    /** The kernel verifier's log for a rejected program, or an empty string when there is none. */
    public String verifierLog() {
        StringBuilder out = new StringBuilder();
        for (String entry : log) {
            int begin = entry.indexOf("-- BEGIN PROG LOAD LOG --");
            if (begin >= 0) {
                int end = entry.indexOf("-- END PROG LOAD LOG --", begin);
                out.append(entry, entry.indexOf('\n', begin) + 1, end < 0 ? entry.length() : end);
            }
        }
        return out.toString();
    }

    /** What the error code means, in words (libbpf's own codes included). */
    @Override
    public String reason() {
        return reason(errno());
    }

    /** libbpf's own codes start at 4000 and only libbpf can name them; libc knows the rest. */
    private static String reason(int errno) {
        return errno >= Libbpf.ERRNO_BASE ? Libbpf.strerror(errno) : Libc.strerror(errno);
    }

    private static String describe(String operation, int errno, List<String> log) {
        StringBuilder message = new StringBuilder(operation).append(" failed: ")
                .append(Libc.errnoName(errno)).append(" (").append(reason(errno)).append(')');
        if (!log.isEmpty()) {
            message.append("; libbpf said:");
            for (String line : log) {
                message.append("\n  ").append(line);
            }
        }
        return message.toString();
    }
}
