package io.bpfscope.probe;

/** enum bpfscope_drop of src/main/bpf/bpfscope.h, in its order: indexes of each object's drop_counts. */
public enum DropReason {
    /** No room in the buffer for the object's main record (a write, an exec) when the program tried to emit. */
    BUFFER_FULL,
    /** An execve's exit found no entry record (evicted under pressure). */
    EXEC_UNMATCHED,
    /** An execve the exec program had no room to follow to its result: neither counted nor sent. */
    EXEC_UNTRACKED,
    /** followChildren's set was full: a child of a traced process is not traced (an event source lost, not an event). */
    CHILD_UNFOLLOWED,
    /** No room in the exec object's buffer for an exit record. */
    EXIT_BUFFER_FULL;

    long offset() {
        return (long) ordinal() * Long.BYTES;
    }

    /** Whether each drop of this reason is an event the buffers never carried. */
    public boolean event() {
        return this != CHILD_UNFOLLOWED;
    }
}
