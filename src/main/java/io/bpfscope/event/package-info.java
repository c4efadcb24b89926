/**
 * Events as the daemon handles them: records decoded from the kernel's
 * buffers (layouts mirrored from bpfscope.h), their clock, the hub that
 * fans them out to subscribers, the filters that pick them and the JSON
 * that /events and the export write.
 *
 * <p>Depends on: attribution, sys.
 */
package io.bpfscope.event;
