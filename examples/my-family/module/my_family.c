// SPDX-License-Identifier: GPL-2.0
/*
 * my_family: the example family of nlgen's docs/writing-specs.md, as a kernel module.
 *
 * (a) A generic netlink family "my_family" with a multicast group "echoes":
 *     MY_CMD_ECHO   do    replies with the request's attributes and sends them to "echoes" as MY_CMD_ECHOED
 *     MY_CMD_LIST   dump  MY_ATTR_COUNT entries (default 1000), enough to take several datagrams
 *     MY_CMD_CHECK  do    needs MY_ATTR_POINT with x and y, x <= y; failures carry extack text and offsets
 *     MY_CMD_ADMIN  do    needs CAP_NET_ADMIN (GENL_ADMIN_PERM)
 * (b) A raw netlink protocol on unit 31 that answers each message with one of the same type and payload, the way
 *     the classic tutorials write it: nlmsg_put(skb, 0, 0, ...), port id 0 and sequence number 0 in the reply.
 */
#include <linux/module.h>
#include <linux/version.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/netlink.h>
#include <net/sock.h>
#include <net/netlink.h>
#include <net/genetlink.h>

#include "my_family.h"

static const struct nla_policy my_point_policy[MY_POINT_MAX + 1] = {
	[MY_POINT_X] = { .type = NLA_U16 },
	[MY_POINT_Y] = { .type = NLA_U16 },
};

static const struct nla_policy my_policy[MY_ATTR_MAX + 1] = {
	[MY_ATTR_MSG] = { .type = NLA_NUL_STRING, .len = 255 },
	[MY_ATTR_NUM32] = { .type = NLA_U32 },
	[MY_ATTR_NUM64] = { .type = NLA_U64 },
	[MY_ATTR_PAD] = { .type = NLA_REJECT },
	[MY_ATTR_POINT] = NLA_POLICY_NESTED(my_point_policy),
	[MY_ATTR_ITEM] = { .type = NLA_U32 },
	[MY_ATTR_INDEX] = { .type = NLA_U32 },
	[MY_ATTR_COUNT] = NLA_POLICY_RANGE(NLA_U32, 1, 10000),
};

static struct genl_family my_family;

/* Copies the echoable attributes of a request (all of MY_ATTR_ITEM's repeats included) into skb. */
static int my_fill(struct sk_buff *skb, const struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	const struct nlattr *a;
	int rem;

	if (tb[MY_ATTR_MSG] && nla_put_string(skb, MY_ATTR_MSG, nla_data(tb[MY_ATTR_MSG])))
		return -EMSGSIZE;
	if (tb[MY_ATTR_NUM32] && nla_put_u32(skb, MY_ATTR_NUM32, nla_get_u32(tb[MY_ATTR_NUM32])))
		return -EMSGSIZE;
	if (tb[MY_ATTR_NUM64] &&
	    nla_put_u64_64bit(skb, MY_ATTR_NUM64, nla_get_u64(tb[MY_ATTR_NUM64]), MY_ATTR_PAD))
		return -EMSGSIZE;
	if (tb[MY_ATTR_POINT] && nla_put(skb, MY_ATTR_POINT | NLA_F_NESTED, nla_len(tb[MY_ATTR_POINT]),
					 nla_data(tb[MY_ATTR_POINT])))
		return -EMSGSIZE;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) == MY_ATTR_ITEM && nla_put_u32(skb, MY_ATTR_ITEM, nla_get_u32(a)))
			return -EMSGSIZE;
	}
	return 0;
}

static int my_echo_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply, *ntf;
	void *hdr;
	size_t size = nlmsg_len(info->nlhdr) + 64;

	reply = genlmsg_new(size, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &my_family, 0, MY_CMD_ECHO);
	if (!hdr || my_fill(reply, info)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);

	ntf = genlmsg_new(size, GFP_KERNEL);
	if (ntf) {
		hdr = genlmsg_put(ntf, 0, 0, &my_family, 0, MY_CMD_ECHOED);
		if (hdr && !my_fill(ntf, info)) {
			genlmsg_end(ntf, hdr);
			/* -ESRCH only means nobody listens. */
			genlmsg_multicast(&my_family, ntf, 0, 0, GFP_KERNEL);
		} else {
			nlmsg_free(ntf);
		}
	}
	return genlmsg_reply(reply, info);
}

static int my_list_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	struct nlattr **tb = genl_dumpit_info(cb)->info.attrs;
#else
	struct nlattr **tb = genl_dumpit_info(cb)->attrs;
#endif
	u32 count = tb[MY_ATTR_COUNT] ? nla_get_u32(tb[MY_ATTR_COUNT]) : 1000;
	u32 i;

	for (i = cb->args[0]; i < count; i++) {
		char text[64];
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, &my_family,
					NLM_F_MULTI, MY_CMD_LIST);

		if (!hdr)
			break;
		snprintf(text, sizeof(text), "entry %u of %u, padded to take some room", i, count);
		if (nla_put_u32(skb, MY_ATTR_INDEX, i) || nla_put_string(skb, MY_ATTR_MSG, text)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

static int my_check_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MY_POINT_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MY_ATTR_POINT))
		return -EINVAL;
	err = nla_parse_nested(tb, MY_POINT_MAX, info->attrs[MY_ATTR_POINT], my_point_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[MY_ATTR_POINT], tb, MY_POINT_X) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[MY_ATTR_POINT], tb, MY_POINT_Y))
		return -EINVAL;
	if (nla_get_u16(tb[MY_POINT_X]) > nla_get_u16(tb[MY_POINT_Y])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MY_POINT_Y], "y must not be smaller than x");
		return -ERANGE;
	}
	return 0;
}

static int my_admin_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &my_family, 0, MY_CMD_ADMIN);
	if (!hdr || nla_put_string(reply, MY_ATTR_MSG, "granted")) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static const struct genl_ops my_ops[] = {
	{ .cmd = MY_CMD_ECHO, .doit = my_echo_doit },
	{ .cmd = MY_CMD_LIST, .dumpit = my_list_dumpit },
	{ .cmd = MY_CMD_CHECK, .doit = my_check_doit },
	{ .cmd = MY_CMD_ADMIN, .doit = my_admin_doit, .flags = GENL_ADMIN_PERM },
};

static const struct genl_multicast_group my_mcgrps[] = {
	{ .name = MY_FAMILY_MCGRP_ECHOES },
};

static struct genl_family my_family __ro_after_init = {
	.name = MY_FAMILY_NAME,
	.version = MY_FAMILY_VERSION,
	.maxattr = MY_ATTR_MAX,
	.policy = my_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = my_ops,
	.n_ops = ARRAY_SIZE(my_ops),
	.resv_start_op = MY_CMD_MAX + 1,
	.mcgrps = my_mcgrps,
	.n_mcgrps = ARRAY_SIZE(my_mcgrps),
};

/* ---- the raw protocol on unit 31 ---- */

static struct sock *my_raw_sock;

static int my_raw_rcv_msg(struct sk_buff *skb, struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
{
	int len = nlmsg_len(nlh);
	struct sk_buff *out;
	struct nlmsghdr *reply;

	if (nlh->nlmsg_type != MY_RAW_MSG_PING && nlh->nlmsg_type != MY_RAW_MSG_DATA) {
		NL_SET_ERR_MSG(extack, "unknown message type");
		return -EOPNOTSUPP;
	}
	if (len < (int)sizeof(struct my_raw_hdr)) {
		NL_SET_ERR_MSG(extack, "message shorter than struct my_raw_hdr");
		return -EINVAL;
	}
	out = nlmsg_new(len, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	/* As the tutorials do: port id 0, sequence number 0, the request's type. */
	reply = nlmsg_put(out, 0, 0, nlh->nlmsg_type, len, 0);
	if (!reply) {
		nlmsg_free(out);
		return -EMSGSIZE;
	}
	memcpy(nlmsg_data(reply), nlmsg_data(nlh), len);
	return nlmsg_unicast(my_raw_sock, out, NETLINK_CB(skb).portid);
}

static void my_raw_input(struct sk_buff *skb)
{
	/* netlink_rcv_skb walks the messages and sends the ACK or error each one asks for. */
	netlink_rcv_skb(skb, my_raw_rcv_msg);
}

static int __init my_family_init(void)
{
	struct netlink_kernel_cfg cfg = { .input = my_raw_input };
	int err;

	my_raw_sock = netlink_kernel_create(&init_net, NETLINK_MY_RAW, &cfg);
	if (!my_raw_sock)
		return -EBUSY;
	err = genl_register_family(&my_family);
	if (err)
		netlink_kernel_release(my_raw_sock);
	return err;
}

static void __exit my_family_exit(void)
{
	genl_unregister_family(&my_family);
	netlink_kernel_release(my_raw_sock);
}

module_init(my_family_init);
module_exit(my_family_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("my_family: the example generic netlink family and raw netlink protocol (unit 31) of nlgen");
