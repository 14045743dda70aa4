/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The ABI of the my_family example module: what a uapi header of your own family looks like. The specs in
 * ../specs/ describe exactly these numbers; docs/writing-specs.md walks from this file to them.
 */
#ifndef _UAPI_MY_FAMILY_H
#define _UAPI_MY_FAMILY_H

#include <linux/types.h>

#define MY_FAMILY_NAME "my_family"
#define MY_FAMILY_VERSION 1
#define MY_FAMILY_MCGRP_ECHOES "echoes"

/* Top-level attributes of every my_family message. */
enum {
	MY_ATTR_UNSPEC,
	MY_ATTR_MSG,	/* string, NUL-terminated, at most 255 bytes before the NUL */
	MY_ATTR_NUM32,	/* u32 */
	MY_ATTR_NUM64,	/* u64 */
	MY_ATTR_PAD,	/* padding before u64 attributes */
	MY_ATTR_POINT,	/* nest: MY_POINT_* */
	MY_ATTR_ITEM,	/* u32, repeated: a list */
	MY_ATTR_INDEX,	/* u32: position of a dump entry */
	MY_ATTR_COUNT,	/* u32: entries a dump should produce, 1..10000 */

	__MY_ATTR_MAX,
};
#define MY_ATTR_MAX (__MY_ATTR_MAX - 1)

/* Attributes inside MY_ATTR_POINT. */
enum {
	MY_POINT_UNSPEC,
	MY_POINT_X,	/* u16 */
	MY_POINT_Y,	/* u16 */

	__MY_POINT_MAX,
};
#define MY_POINT_MAX (__MY_POINT_MAX - 1)

enum {
	MY_CMD_UNSPEC,
	MY_CMD_ECHO,	/* do: replies with the request's attributes; notifies "echoes" */
	MY_CMD_LIST,	/* dump: MY_ATTR_COUNT entries (default 1000) */
	MY_CMD_CHECK,	/* do: needs MY_ATTR_POINT with x <= y */
	MY_CMD_ADMIN,	/* do: needs CAP_NET_ADMIN */
	MY_CMD_ECHOED,	/* notification on "echoes": the attributes of an echo */

	__MY_CMD_MAX,
};
#define MY_CMD_MAX (__MY_CMD_MAX - 1)

/* The raw protocol: netlink unit 31, messages of type 16 and up carry a struct my_raw_hdr and attributes. */
#define NETLINK_MY_RAW 31

enum {
	MY_RAW_MSG_PING = 16,
	MY_RAW_MSG_DATA = 17,
};

struct my_raw_hdr {
	__u32 id;
	__u16 kind;
	__u16 flags;
};

enum {
	MY_RAW_ATTR_UNSPEC,
	MY_RAW_ATTR_TEXT,	/* string */
	MY_RAW_ATTR_VALUE,	/* u32 */

	__MY_RAW_ATTR_MAX,
};
#define MY_RAW_ATTR_MAX (__MY_RAW_ATTR_MAX - 1)

#endif /* _UAPI_MY_FAMILY_H */
