/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-ins for the kernel definitions that the bonding
 * transmit hash and its flow-dissector helpers use, so that the functions
 * extracted verbatim from the Linux 6.12 sources (see kernel_vectors.rs)
 * compile as a host program. Wire formats (ethhdr, iphdr, ipv6hdr,
 * icmphdr, in6_addr) and constants come from the installed uapi headers;
 * struct flow_keys and everything after this file comes from the kernel
 * source itself.
 *
 * The sk_buff here is linear: skb->data holds the whole frame, so
 * skb_headlen() == skb->len and pskb_may_pull() fails past it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/if_bonding.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* x86_64, as the kernel the drivers run on. */
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
#define BITS_PER_LONG 64
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the reference is built for a little-endian host"
#endif

#define __force
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __aligned(x) __attribute__((aligned(x)))
#define SIPHASH_ALIGNMENT __alignof__(u64)
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define typeof __typeof__
#define EXPORT_SYMBOL(x)
#define EINVAL 22
#define EFAULT 14
#define BIT(n) (1UL << (n))

#define htons(x) ((__be16)__builtin_bswap16((u16)(x)))
#define ntohs(x) __builtin_bswap16((u16)(x))
#define be16_to_cpu(x) __builtin_bswap16((u16)(x))

struct net;
struct net_device;

struct sk_buff {
	const unsigned char *data;
	unsigned int len;
	__be16 protocol;
	u16 network_header;
	u16 vlan_tci;
	bool vlan_present;
	bool l4_hash;
	u32 hash;
};

static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len;
}

static inline int skb_network_offset(const struct sk_buff *skb)
{
	return skb->network_header;
}

static inline bool skb_vlan_tag_present(const struct sk_buff *skb)
{
	return skb->vlan_present;
}

static inline u16 skb_vlan_tag_get(const struct sk_buff *skb)
{
	return skb->vlan_tci;
}

static inline bool pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	return len <= skb_headlen(skb);
}

static inline int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	if (offset < 0 || len < 0 || (unsigned int)(offset + len) > skb->len)
		return -EFAULT;
	memcpy(to, skb->data + offset, len);
	return 0;
}

/* include/linux/skbuff.h */
static inline void *__skb_header_pointer(const struct sk_buff *skb, int offset, int len,
					 const void *data, int hlen, void *buffer)
{
	if (likely(hlen - offset >= len))
		return (void *)data + offset;

	if (!skb || unlikely(skb_copy_bits(skb, offset, buffer, len) < 0))
		return NULL;

	return buffer;
}
