// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Never attached: the loader loads it to ask whether the kernel lets a
 * tracepoint program schedule BPF task work, as exec.bpf.c does. Having the
 * kfunc in its BTF is not enough: 6.18.44, for one, verifies the callback as
 * sleepable and refuses it from a program that is not.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct work {
	struct bpf_task_work work;
};

/* As exec.bpf.c's exec_calls: a hash without preallocation. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct work);
} works SEC(".maps");

static int done(struct bpf_map *map, void *key, void *value)
{
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int bpfscope_task_work_probe(void *ctx)
{
	__u32 key = 0;
	struct work *work = bpf_map_lookup_elem(&works, &key);

	if (work)
		bpf_task_work_schedule_resume_impl(bpf_get_current_task_btf(), &work->work, &works, done, NULL);
	return 0;
}
