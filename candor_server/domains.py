"""Domain names as browsers give them, and the registrable domain (eTLD+1) of a host, from
the Public Suffix List as packaged by `publicsuffixlist`, kept current by its maintainers,
never a list of our own. Shared by the sites file, the leakage report and cookie scoping."""

import ipaddress

from publicsuffixlist import PublicSuffixList

from .collector.wire import HOST_PATTERN

PUBLIC_SUFFIXES = PublicSuffixList()


def domain_name(text):
    """A domain as a publisher writes it (any case, Unicode) as browsers give host names
    (lowercase, punycode); None when it is not a host name."""
    if not isinstance(text, str):
        return None
    try:
        name = text.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return name if name and len(name) <= 253 and HOST_PATTERN.fullmatch(name) else None


def registrable_domain(host):
    """`px.tracker.co.uk` -> `tracker.co.uk`. An IP address, or a name the list cannot split
    (`localhost`, a bare public suffix), stands for itself."""
    if is_ip(host):
        return host
    return PUBLIC_SUFFIXES.privatesuffix(host.lower()) or host.lower()


def covered(host, domains):
    """`host` is one of `domains` or a subdomain of one, on a dot boundary (as in the tag)."""
    host = host.lower()
    return any(host == domain or (not is_ip(host) and host.endswith("." + domain)) for domain in domains)


def is_ip(host):
    """Whether `host` is an IPv4 or IPv6 address (IPv6 possibly in brackets)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
