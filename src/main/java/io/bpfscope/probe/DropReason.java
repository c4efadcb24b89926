package io.bpfscope.probe;

/** enum bpfscope_drop of src/main/bpf/bpfscope.h: indexes of each object's "drops" array. */
public enum DropReason {
    /** No room in the buffer when the program tried to emit. */
    BUFFER_FULL(0),
    /** An execve's exit found no entry record (evicted under pressure). */
    EXEC_UNMATCHED(1),
    /** An execve the exec program had no room to follow to its result: neither counted nor sent. */
    EXEC_UNTRACKED(2),
    /** followChildren's set was full: a child of a traced process is not traced (an event source lost, not an event). */
    CHILD_UNFOLLOWED(3);

    private final int index;

    DropReason(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }

    /** Whether each drop of this reason is an event the buffers never carried. */
    public boolean event() {
        return this != CHILD_UNFOLLOWED;
    }
}
