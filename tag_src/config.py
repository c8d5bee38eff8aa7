"""Settings (CONTRACT.md §1): one reader for the script's data-* attributes and candor('init', options).

Both sources go through apply_settings, so `data-require-consent="true"` and
`{requireConsent: true}` mean exactly the same thing.
"""
# __pragma__ ('noalias', 'split')
# __pragma__ ('alias', 'strip', 'trim')
# __pragma__ ('alias', 'append', 'push')
# __pragma__ ('alias', 'lower', 'toLowerCase')
# __pragma__ ('alias', 'startswith', 'startsWith')

MAX_SITE = 64
"""Longest site id the collector accepts (MAX_ID_LENGTH in its wire schema)."""


def default_config():
    """Every setting with its default; the attribute is the name in kebab case: data-allowed-domains."""
    return {'site': None, 'collector': None, 'allowedDomains': [], 'requireConsent': False,
            'childDirected': False, 'autoPageview': True, 'spa': True, 'scrubParams': [],
            'cookieDomain': 'auto', 'cookieless': False, 'tcf': True, 'tcfPurposes': [1, 8]}


def attribute_name(name):
    """autoPageview -> data-auto-pageview."""
    text = 'data-'
    for char in name:
        text += char if char == char.lower() else '-' + char.lower()
    return text


def setting_value(win, default, value):
    """A value shaped like the default: attribute text "false" is False, "a, b" is a list."""
    if default is True or default is False:
        return value is not False and value != 'false'
    if win.Array.isArray(default) and not win.Array.isArray(value):
        parts = []
        for part in value.split(','):
            part = part.strip()
            if part:
                parts.append(part)
        return parts
    return value


def apply_settings(win, config, value_of):
    """Overwrite each setting for which value_of(name) gives a value (not None or undefined)."""
    for name in win.Object.js_keys(config):
        value = value_of(name)
        if value != None:  # noqa: E711 - also true for JS undefined, unlike `is not None`
            config[name] = setting_value(win, config[name], value)


def config_from_script(win):
    """Settings from the <script> that loaded the tag: currentScript, set only while the bundle
    first runs, or else the first script with data-site."""
    config = default_config()
    script = win.document.currentScript or win.document.querySelector('script[data-site]')
    if script:
        apply_settings(win, config, lambda name: script.getAttribute(attribute_name(name)) or None)
    return config


def apply_init(win, config, options):
    """Merge candor('init', options); False (a bad call) when options is not an object."""
    if not options:
        return False
    apply_settings(win, config, lambda name: options[name])


def settings_problem(config):
    """The setting that leaves the publisher without data, `data-site` (missing or too long) or
    `data-collector` (missing, or neither a path nor an http(s) URL), or None. A missing
    collector falls back to `/collect` on the page's own origin."""
    site = config['site']
    given = config['collector']
    config['collector'] = given or '/collect'
    if not site or len(site) > MAX_SITE:
        return 'data-site'
    if not given or not (given.startswith('/') or given.startswith('http://') or given.startswith('https://')):
        return 'data-collector'
    return None
