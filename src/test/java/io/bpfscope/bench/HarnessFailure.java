package io.bpfscope.bench;

/** A run that cannot go on, with what to look at: the harness stops and says it. */
public final class HarnessFailure extends RuntimeException {

    public HarnessFailure(String message) {
        super(message);
    }
}
