package io.bpfscope.probe;

/** enum bpfscope_drop of src/main/bpf/bpfscope.h: indexes of each object's "drops" array. */
public enum DropReason {
    /** No room in the buffer when the program tried to emit. */
    BUFFER_FULL(0),
    /** An execve's exit found no entry record (evicted under pressure). */
    EXEC_UNMATCHED(1),
    /** An execve the exec program had no room to follow to its result: neither counted nor sent. */
    EXEC_UNTRACKED(2);

    private final int index;

    DropReason(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }
}
