"""First-party cookies, the only state Candor keeps in the browser (CONTRACT.md §2)."""
# __pragma__ ('noalias', 'split')
# __pragma__ ('noalias', 'pop')
# __pragma__ ('noalias', 'isNaN')
# __pragma__ ('alias', 'strip', 'trim')

ID_COOKIE = 'candor_id'
ID_MAX_AGE = '15552000'
OPTOUT_COOKIE = 'candor_optout'
OPTOUT_MAX_AGE = '34560000'
PROBE_COOKIE = 'candor_probe'


def read_cookie(doc, name):
    """The value of cookie `name`, or None when absent or when the page may not read cookies."""
    try:
        for pair in doc.cookie.split(';'):
            parts = pair.split('=')
            if parts[0].strip() == name and len(parts) == 2:
                return parts[1].strip()
    except:  # noqa: E722 - a sandboxed frame throws a SecurityError, not a Python exception
        pass
    return None


def set_cookie(win, name, value, max_age, domain):
    """One cookie for the whole site, host-only when `domain` is empty; Max-Age '0' deletes it.

    Best effort: where cookies are unavailable the write is lost, as when a browser blocks them.
    """
    secure = '; Secure' if win.location.protocol == 'https:' else ''
    try:
        win.document.cookie = (name + '=' + value + '; Max-Age=' + max_age + '; Path=/; SameSite=Lax'
                               + ('; Domain=' + domain if domain else '') + secure)
    except:  # noqa: E722 - a sandboxed frame throws a SecurityError on write too
        pass


def cookie_domain(win, config):
    """The Domain for Candor's cookies: none for `cookieDomain: 'host'`; for 'auto' the widest
    domain this browser accepts a cookie for, so a collector on a sibling subdomain sees them.

    Browsers refuse a cookie for a public suffix (`com`, `co.uk`, `localhost`), so trying from
    the top label down finds the registrable domain without shipping the Public Suffix List.
    The answer replaces 'auto' in the settings: the search runs once per page.
    """
    domain = config['cookieDomain']
    if domain == 'auto':
        domain = ''
        labels = win.location.hostname.split('.')
        candidate = ''
        # Not on an IPv4 address, which has no parent domain (WebKit would take `Domain=0.1` on
        # 127.0.0.1): its first label is a number.
        while len(labels) and not domain and win.isNaN(labels[0]):
            candidate = labels.pop() + candidate
            set_cookie(win, PROBE_COOKIE, '1', '9', candidate)
            if read_cookie(win.document, PROBE_COOKIE):
                set_cookie(win, PROBE_COOKIE, '', '0', candidate)
                domain = candidate
            candidate = '.' + candidate
        config['cookieDomain'] = domain or 'host'
    return '' if domain == 'host' else domain


def write_cookie(win, config, name, value, max_age):
    set_cookie(win, name, value, max_age, cookie_domain(win, config))


def delete_cookie(win, config, name):
    """Expire the cookie on Candor's domain and as a host-only cookie, which the collector's
    own pages set when they share the site's origin."""
    write_cookie(win, config, name, '', '0')
    set_cookie(win, name, '', '0', '')
