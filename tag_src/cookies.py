"""First-party cookies, the only state Candor keeps in the browser (CONTRACT §2)."""
# __pragma__ ('noalias', 'split')
# __pragma__ ('alias', 'strip', 'trim')

ID_COOKIE = 'candor_id'
ID_MAX_AGE = '15552000'
OPTOUT_COOKIE = 'candor_optout'
OPTOUT_MAX_AGE = '34560000'


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


def write_cookie(win, name, value, max_age):
    """Set a host-only cookie for the whole site; Max-Age '0' deletes it.

    Best effort: where cookies are unavailable the write is lost, as when a browser blocks them.
    """
    secure = '; Secure' if win.location.protocol == 'https:' else ''
    try:
        win.document.cookie = name + '=' + value + '; Max-Age=' + max_age + '; Path=/; SameSite=Lax' + secure
    except:  # noqa: E722 - a sandboxed frame throws a SecurityError on write too
        pass


def delete_cookie(win, name):
    write_cookie(win, name, '', '0')
