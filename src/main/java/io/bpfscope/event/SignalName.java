package io.bpfscope.event;

import java.util.List;

/**
 * Linux signal numbers by name, as x86-64 and arm64 number them (the
 * generic numbering); real-time signals as SIGRTMIN+n, as kill -l says.
 */
public final class SignalName {

    private static final List<String> STANDARD = List.of("SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
            "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
            "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");
    private static final int RTMIN = 34;

    private SignalName() {
    }

    /** The name of signal {@code number} (1 to 64). */
    public static String of(int number) {
        if (number >= 1 && number <= STANDARD.size()) {
            return STANDARD.get(number - 1);
        }
        return number >= RTMIN ? "SIGRTMIN+" + (number - RTMIN) : "SIG" + number;
    }
}
