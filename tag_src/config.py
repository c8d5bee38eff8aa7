"""Settings: read once from the script element's data-* attributes, then from candor('init')."""
# __pragma__ ('noalias', 'split')

SCRIPT_SETTINGS = [['site', 'data-site'], ['collector', 'data-collector']]
INIT_SETTINGS = ['site', 'collector', 'autoPageview', 'allowedDomains']


def default_config():
    return {'site': None, 'collector': '/collect', 'autoPageview': True, 'allowedDomains': []}


def own_script(doc):
    """The <script> element that loaded the tag; only valid while the bundle first runs."""
    return doc.currentScript or doc.querySelector('script[data-site]')


def config_from_script(doc):
    config = default_config()
    script = own_script(doc)
    if script:
        for setting in SCRIPT_SETTINGS:
            value = script.getAttribute(setting[1])
            if value:
                config[setting[0]] = value
        domains = script.getAttribute('data-allowed-domains')
        if domains:
            config['allowedDomains'] = domains.split(',')
    return config


def apply_init(config, options):
    """Merge candor('init', options) into the settings; unknown or missing keys are ignored."""
    if not options:
        return
    for key in INIT_SETTINGS:
        if options[key] != None:  # noqa: E711 - also true for JS undefined, unlike `is not None`
            config[key] = options[key]
