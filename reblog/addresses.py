"""Which IP addresses another site's page may be fetched from: globally routable unicast only.

A ping names the page we fetch, so the address filter is all that stands between a
stranger and our loopback, LAN or cloud metadata service. `ipaddress`'s `is_global` is
the base, but it judges an IPv6 address that merely wraps an IPv4 one by its IPv6 range:
`::7f00:1` (IPv4-compatible), `64:ff9b::7f00:1` (NAT64) and `2002:7f00:1::` (6to4) all
reach 127.0.0.1 on a host that routes them, and all are "global" to it. So the IPv4
address inside is unwrapped and judged instead. Multicast, broadcast and reserved ranges
count as global to `is_global` too, and are refused here.
"""

import ipaddress

NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 host
# Ranges Python 3.11's is_global still calls global although IANA's special-purpose
# registries do not: NAT64 for local use (RFC 8215), IPv6 documentation (RFC 9637).
NOT_GLOBAL = (ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("3fff::/20"))


def unwrap(ip):
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64), else `ip`."""
    if ip.version == 4:
        return ip
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(ip.packed[12:])
    # IPv4-compatible (::a.b.c.d, deprecated by RFC 4291): the first 96 bits are zero. "::"
    # and "::1" have that form too but are IPv6's own unspecified and loopback addresses.
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(ip.packed[12:])
    return ip


def is_public(address):
    """True when `address` (text or an ipaddress object; an IPv6 zone is ignored) is a
    globally routable unicast address, judged by the IPv4 address it wraps, if any."""
    ip = address if not isinstance(address, str) else ipaddress.ip_address(address.split("%")[0])
    if any(ip in network for network in NOT_GLOBAL if network.version == ip.version):
        return False
    ip = unwrap(ip)
    return (
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_unspecified
        and not ip.is_loopback
        and not ip.is_link_local
        and not (ip.version == 6 and ip.is_site_local)
        and ip != ipaddress.IPv4Address("255.255.255.255")
    )
