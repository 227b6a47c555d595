// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs for the native-XDP tests of bonding (tests/suites/bond_xdp.sh),
 * one per section, compiled in the guest with
 * `clang -O2 -target bpf -c xdp_bond.c` and attached with
 * `ip link set DEV xdpdrv obj xdp_bond.o sec SECTION`. No libbpf headers:
 * each program only returns its action, or (compiled with
 * -DREDIRECT_IFINDEX=N) redirects every frame to device N.
 */
#define SEC(name) __attribute__((section(name), used))

/* enum xdp_action (include/uapi/linux/bpf.h) */
#define XDP_DROP 1
#define XDP_PASS 2
#define XDP_TX 3

struct xdp_md;

SEC("xdp") int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/drop") int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp/tx") int xdp_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

#ifdef REDIRECT_IFINDEX
/* BPF_FUNC_redirect (include/uapi/linux/bpf.h) */
static long (*bpf_redirect)(unsigned int ifindex, unsigned long long flags) = (void *)23;

SEC("xdp/redirect") int xdp_redirect(struct xdp_md *ctx)
{
	return bpf_redirect(REDIRECT_IFINDEX, 0);
}
#endif

char _license[] SEC("license") = "GPL";
