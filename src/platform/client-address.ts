import { isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * The key under which a client address is throttled. IPv4 addresses are used as they are; an IPv6
 * client usually holds a whole /64 (a single customer line), so its first four groups are the key:
 * otherwise rotating the interface identifier would give an attacker 2⁶⁴ fresh budgets.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The rate-limit key of a request: the authenticated user when the credential is valid, otherwise
 * the client address (the TCP peer, or the address named by a trusted proxy when TRUST_PROXY is
 * set). Never a value the client chooses freely, such as a cookie or a forwarding header.
 */
export function rateLimitKey(request: FastifyRequest): string {
  return request.actor ? `user:${request.actor.userId}` : `addr:${addressKey(request.ip)}`;
}
