package io.bpfscope.attribution.cri;

import io.grpc.Status;
import java.io.IOException;

/** A CRI call that failed, with the gRPC status the runtime (or the transport) gave. */
public final class CriException extends IOException {

    private final Status.Code code;

    CriException(String method, Status status) {
        super(method + ": " + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription()),
                status.getCause());
        this.code = status.getCode();
    }

    public Status.Code code() {
        return code;
    }
}
