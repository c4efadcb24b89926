package io.bpfscope.filter;

/** A filter change refused, with the HTTP status, the field at fault and why; nothing was changed. */
public final class FilterRejected extends RuntimeException {

    private final int status;
    private final String field;

    public FilterRejected(int status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
