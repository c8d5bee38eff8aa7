"""Data leakage: the hosts this page sent requests to that nobody invited (CONTRACT.md §3 `leak`).

Resource Timing sees every request the page made, whoever started it (a pixel dropped by an
ad script, a beacon, an iframe), by URL and initiator kind. Only host names leave the
browser, never paths or query strings. A PerformanceObserver, not the resource buffer
alone: a third-party script can clear the buffer, and it fills up at 250 entries.
"""
# __pragma__ ('alias', 'append', 'push')
# __pragma__ ('alias', 'endswith', 'endsWith')
# __pragma__ ('alias', 'strip', 'trim')
# __pragma__ ('noalias', 'name')
# __pragma__ ('skip')
from pyshim import __new__
# __pragma__ ('noskip')
from ids import uuid4

SETTLE_MS = 1000
"""After `load`, requests started by late scripts (pixels, beacons) still need a moment."""
MAX_HOSTS = 50
"""The collector takes at most 50 hosts in one leak event (the collector's wire module)."""


def count_request(hosts, fresh, host, kind):
    """One more request to `host` by `kind`; a new pair joins `fresh`, the next report's list."""
    for item in hosts:
        if item['host'] == host and item['kind'] == kind:
            item['n'] += 1
            return
    if len(hosts) < MAX_HOSTS:
        item = {'host': host, 'kind': kind, 'n': 1}
        hosts.append(item)
        fresh.append(item)


def covers(domain, host):
    """`host` is `domain` or one of its subdomains, on a dot boundary: evilexample.com is not
    example.com. Both come from the browser's URL parser, so an IP address only ever covers
    itself: IPv4 hosts always have four labels, IPv6 hosts are in brackets."""
    return host == domain or host.endswith('.' + domain)


def is_invited(host, page_host, collector_host, allowed):
    """The page's own host or a parent domain of it, the collector, or an allowedDomains entry
    or its subdomains."""
    if covers(host, page_host) or host == collector_host:
        return True
    for domain in allowed:
        if covers(domain, host):
            return True
    return False


def host_name(win, url):
    """The host of `url` as the browser's URL parser gives it: lowercase, punycode, no port."""
    return __new__(win.URL(url, win.location.href)).hostname


def allowed_hosts(win, config):
    """allowedDomains as the publisher wrote them (any case, IDN, a port) in the browser's form."""
    hosts = []
    for domain in config['allowedDomains']:
        hosts.append(host_name(win, 'http://' + domain.strip()))
    return hosts


def watch_leaks(win, config, send_event):
    """Report uninvited hosts once the page has settled after `load`, then on `pagehide` the
    host and kind pairs that appeared since: send_event(event) gets each finished leak event
    and decides whether tracking allows sending it. At most MAX_HOSTS pairs per page (the
    collector's limit for one event). Callbacks catch everything: they run outside the tag's
    own calls, straight from the browser."""
    hosts = []
    fresh = []

    def note(entries):
        try:
            allowed = allowed_hosts(win, config)
            collector_host = host_name(win, config['collector'])
            for entry in entries:
                host = host_name(win, entry.name)
                if host and not is_invited(host, win.location.hostname, collector_host, allowed):
                    count_request(hosts, fresh, host, entry.initiatorType)
        except:  # noqa: E722 - native JS errors are not Python exceptions
            pass

    def report():
        nonlocal fresh
        try:
            note(observer.takeRecords())
            if len(fresh):
                send_event({'id': uuid4(win), 'type': 'leak', 'ts': win.Date.now(), 'url': win.location.href,
                            'hosts': fresh})
                fresh = []
        except:  # noqa: E722
            pass

    def settle():
        win.setTimeout(report, SETTLE_MS)

    try:
        observer = __new__(win.PerformanceObserver(lambda entries: note(entries.getEntries())))
        observer.observe({'type': 'resource', 'buffered': True})
        if win.document.readyState == 'complete':
            settle()
        else:
            win.addEventListener('load', settle)
        win.addEventListener('pagehide', report)
    except:  # noqa: E722 - no PerformanceObserver (old browsers): no leak report, the rest runs
        pass
