// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* A program the verifier must reject: it dereferences a hash map lookup
 * without a NULL check (an in-range constant key into an array would pass: newer verifiers know it
 * cannot miss). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");

SEC("tp/syscalls/sys_enter_getpid")
int unchecked_lookup(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&counter, &zero);

	(*value)++;
	return 0;
}
