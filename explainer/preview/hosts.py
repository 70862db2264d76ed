"""Which host names the preview answers to, and the warning when it is reachable from others.

A page on any web site can point a host name of its own at 127.0.0.1 (DNS rebinding) and then
read the preview as if it were that site: the browser sends that name in the ``Host`` header.
So a preview bound to one address answers only to that address and the loopback names, on its
own port; anything else gets 421. Bound to every interface (0.0.0.0, ::), it is reachable by
whatever name or address the other machines use, which we cannot list: it answers to any
``Host``, and ``host_warning`` says so.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_wildcard(host: str) -> bool:
    """Whether binding ``host`` listens on every interface ('' as tornado reads it, 0.0.0.0, ::)."""
    address = _address(host)
    return host == "" or (address is not None and address.is_unspecified)


def _bracketed(host: str) -> str:
    """``host`` as it appears in a Host header: IPv6 addresses in brackets, names in lower case."""
    address = _address(host)
    return f"[{address}]" if address is not None and address.version == 6 else host.lower()


@dataclass(frozen=True)
class HostCheck:
    """The ``Host`` header values a preview answers to; ``accepted`` None means any."""

    accepted: frozenset[str] | None
    shown: str = ""  # the names, for the refusal message

    @classmethod
    def bound(cls, host: str, port: int) -> HostCheck:
        if is_wildcard(host):
            return cls(None)
        names = list(dict.fromkeys([_bracketed(host), *LOOPBACK_NAMES]))
        accepted = {f"{name}:{port}" for name in names}
        if port == 80:  # a browser leaves the default port out of the header
            accepted.update(names)
        return cls(frozenset(accepted), ", ".join(names) + f" on port {port}")

    def allows(self, header: str | None) -> bool:
        """Whether to answer a request with this Host header. A request without one did not come
        from a browser (they always send it), so it cannot be a rebinding page: it is answered."""
        if self.accepted is None or header is None:
            return True
        return header.strip().lower() in self.accepted

    def refusal(self, header: str) -> str:
        """The plain-text body of a 421 answer."""
        return (f"421 Misdirected Request: this preview answers only to {self.shown}, not to the host "
                f"name {header[:100]!r}. Open it at one of those, or pass --host to serve another address.\n")


def host_warning(host: str) -> str | None:
    """A warning when ``host`` is reachable from other machines, None for loopback."""
    address = _address(host)
    if host == "localhost" or (address is not None and address.is_loopback):
        return None
    everyone = (" It answers to any host name there (no Host check), so a web page you visit could read it "
                "through DNS rebinding." if is_wildcard(host) else "")
    return (f"warning: serving on {host} makes the preview reachable from other machines on the network; "
            f"it is a development server, not meant for the open internet.{everyone} "
            "Use --host 127.0.0.1 to keep it local.")
