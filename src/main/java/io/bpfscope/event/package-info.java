/**
 * Events as the daemon handles them: records decoded from the kernel's
 * buffers (layouts mirrored from bpfscope.h), their clock, and the hub that
 * fans them out to subscribers.
 */
package io.bpfscope.event;
