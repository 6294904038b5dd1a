"""README: the verifier and the sender fetch only globally routable unicast addresses: every
private, loopback, link-local, multicast or reserved address is refused before a connection
is attempted, however it is spelled, and so is one wrapped in an IPv6 form (IPv4-mapped,
IPv4-compatible, 6to4, NAT64) that would reach it."""

import socket
import sys
import threading
from contextlib import contextmanager

import pytest

from reblog.addresses import is_public
from reblog.fetch import Refused
from reblog.linkbacks.fetch import fetch
from reblog.settings import read

# Each resolves without DNS (a literal, or a numeric form the resolver reads itself).
REFUSED = [
    "127.0.0.1",
    "127.1",  # inet_aton's short form
    "2130706433",  # 127.0.0.1 as one decimal number
    "0x7f000001",
    "0177.0.0.1",  # octal
    "017700000001",
    "localhost",
    "0",  # 0.0.0.0: "this host" on Linux
    "0.0.0.0",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # the cloud metadata service
    "100.64.0.1",  # carrier-grade NAT
    "198.18.0.1",  # benchmarking
    "192.0.2.1",  # documentation
    "224.0.0.1",  # multicast
    "239.255.255.250",  # multicast (SSDP)
    "240.0.0.1",  # reserved
    "255.255.255.255",  # broadcast
    "[::1]",
    "[::]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:a9fe:a9fe]",  # IPv4-mapped metadata service
    "[::7f00:1]",  # IPv4-compatible 127.0.0.1
    "[::127.0.0.1]",
    "[::a00:1]",  # IPv4-compatible 10.0.0.1
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    "[64:ff9b::a9fe:a9fe]",  # NAT64 of the metadata service
    "[64:ff9b:1::1]",  # NAT64 for local use
    "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
    "[2002:a9fe:a9fe::1]",  # 6to4 of 169.254.169.254
    "[::ffff:0:7f00:1]",  # IPv4-translated (SIIT)
    "[fe80::1]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[fec0::1]",  # site-local, deprecated
    "[ff02::1]",  # link-local multicast
    "[ff0e::1]",  # global-scope multicast: still multicast
    "[2001:db8::1]",  # documentation
    "[3fff::1]",  # documentation (RFC 9637)
    "[2001::1]",  # Teredo
    "[100::1]",  # discard
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:8.8.8.8",  # IPv4-mapped, of a public address
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


class ConnectGuard:
    """Refuses every outgoing connection while on, and remembers each one attempted.

    An audit hook sees every socket.connect of the interpreter, whatever library makes it,
    and raising in it stops the connect before a packet is sent: a failing filter never
    sends traffic to a private network from the test. Hooks cannot be removed, so one
    guard serves the whole session.
    """

    def __init__(self):
        self.on = False
        self.attempts = []
        self.lock = threading.Lock()
        sys.addaudithook(self.hook)

    def hook(self, event, args):
        if event == "socket.connect" and self.on:
            with self.lock:
                self.attempts.append(args[1])
            raise ConnectionRefusedError(f"the test refused a connection to {args[1]}")

    @contextmanager
    def active(self):
        self.attempts.clear()
        self.on = True
        try:
            yield self.attempts
        finally:
            self.on = False


GUARD = ConnectGuard()


@pytest.mark.parametrize("host", REFUSED)
def test_a_private_address_is_refused_without_a_connection(host, tmp_path):
    conf = read({"PATH": str(tmp_path / "content"), "LINKBACKS_FETCH_TIMEOUT": 2})
    with GUARD.active() as attempts, pytest.raises(Refused, match="not a public address"):
        fetch(f"http://{host}:8080/post", conf)
    assert attempts == []


@pytest.mark.parametrize("address", PUBLIC)
def test_a_public_address_passes_the_filter(address):
    assert is_public(address)


@pytest.mark.parametrize("host", [host.strip("[]") for host in REFUSED if host[0] in "[12"])
def test_the_filter_refuses_each_literal_form(host):
    resolved = {info[4][0] for info in socket.getaddrinfo(host, 80, type=socket.SOCK_STREAM)}
    assert not any(is_public(address) for address in resolved)
