"""The companion script for a publisher's privacy page (dist/candor-choice.min.js, CONTRACT.md §1):
each `<div data-candor-choice></div>` becomes the visitor's status with its reasons, one button
to opt out or back in, and the visitor's stored data with a button to delete it.

It asks the tag for the status (`candor('status')`) and makes the choice through it
(`candor('optOut')`/`candor('optIn')`), so the element and the tag can never disagree. The data
comes from the collector as JSON, asked with the id from the page's own first-party
`candor_id` cookie: on another site than the publisher, the collector never sees its own
cookies here. Only what a privacy page needs is in this file, so the tag every page loads
stays small. The element is built with textContent only: nothing from the collector is ever
parsed as HTML.
"""
# __pragma__ ('noalias', 'split')
# __pragma__ ('noalias', 'pop')
# __pragma__ ('alias', 'append', 'push')
# __pragma__ ('noalias', 'type')
# __pragma__ ('noalias', 'name')
# __pragma__ ('skip')
from pyshim import __new__
# __pragma__ ('noskip')
from cookies import ID_COOKIE, read_cookie, set_cookie

REASON_TEXTS = [
    ['optout', 'you opted out: this browser keeps the candor_optout cookie'],
    ['dnt', 'your browser sends Do Not Track'],
    ['gpc', 'your browser sends Global Privacy Control'],
    ['consent', 'this site has not received your consent'],
    ['child', 'this page is meant for children, who are never counted'],
    ['tcf', 'your choice in this site\'s consent dialog'],
    ['gpp', 'your choice in this site\'s consent dialog'],
    ['nosite', 'this page names no site'],
]


def reason_text(reason):
    for pair in REASON_TEXTS:
        if pair[0] == reason:
            return pair[1]
    return reason


def status_text(status):
    """One sentence: counting, or not counting and every reason why."""
    if status.tracking:
        return ('Candor is counting visits from this browser: you have not opted out, and your '
                'browser sends neither Do Not Track nor Global Privacy Control.')
    text = 'Candor collects nothing from this browser: '
    for index in range(len(status.reasons)):
        text += ('; ' if index else '') + reason_text(status.reasons[index])
    return text + '.'


def choice_settings(win, script):
    """`site` and `collector` from the companion's own data-* attributes, else from the tag's
    script element (the first with data-site)."""
    for source in [script, win.document.querySelector('script[data-site]')]:
        if source and source.getAttribute('data-site'):
            return {'site': source.getAttribute('data-site'),
                    'collector': source.getAttribute('data-collector') or '/collect'}
    return None


def collector_url(win, settings, path):
    """`path` beside the collector: /candor/collect -> /candor/my-data.json."""
    return __new__(win.URL(path, __new__(win.URL(settings['collector'], win.location.href)))).href


def forget_id(win):
    """Expire candor_id host-only and on every parent domain: the tag may have set it on any."""
    labels = win.location.hostname.split('.')
    domain = ''
    set_cookie(win, ID_COOKIE, '', '0', '')
    while len(labels):
        domain = labels.pop() + domain
        set_cookie(win, ID_COOKIE, '', '0', domain)
        domain = '.' + domain


def add(win, parent, tag, text):
    child = win.document.createElement(tag)
    child.textContent = text
    parent.appendChild(child)
    return child


def button(win, parent, text, action):
    control = add(win, parent, 'button', text)
    control.type = 'button'
    control.addEventListener('click', action)
    return control


def ask_collector(win, settings, path, uid, answered):
    """POST {site, uid} as text/plain (no CORS preflight); answered(json) or answered(None)."""
    body = win.JSON.stringify({'site': settings['site'], 'uid': uid})
    win.fetch(collector_url(win, settings, path), {'method': 'POST', 'body': body}).then(
        lambda answer: answer.json()).then(answered).catch(lambda error: answered(None))


def date_text(win, ms):
    """2026-11-29 19:41, in UTC like the collector's own pages."""
    iso = __new__(win.Date(ms)).toISOString()
    return iso.substring(0, 10) + ' ' + iso.substring(11, 16)


def records_table(win, parent, events):
    table = add(win, parent, 'table', '')
    row = add(win, table, 'tr', '')
    for heading in ['received (UTC)', 'type', 'page', 'title', 'came from', 'browser']:
        add(win, row, 'th', heading)
    for event in events:
        row = add(win, table, 'tr', '')
        source = (event.ref_type or '') + (' (' + event.ref_source + ')' if event.ref_source else '')
        for text in [date_text(win, event.received_at), event.type + (': ' + event.name if event.name else ''),
                     event.url, event.title or '', source, event.browser or '']:
            add(win, row, 'td', text)


def show_data(win, element, settings, refresh):
    """What the collector stores for this browser's id, and a button that deletes it."""
    section = add(win, element, 'div', '')
    section.setAttribute('data-candor-data', '')
    uid = read_cookie(win.document, ID_COOKIE)
    if not uid:
        add(win, section, 'p', 'This browser has no candor_id cookie, so nothing stored is linked to it.')
        return
    waiting = add(win, section, 'p', 'Looking up what is stored for this browser...')

    def deleted(answer):
        if answer and answer.deleted is not None:
            forget_id(win)
        refresh()

    def answered(answer):
        try:
            if not answer or answer.events == None:  # noqa: E711 - JS undefined too
                waiting.textContent = 'Your data could not be loaded' + (
                    ': ' + answer.error if answer and answer.error else '.')
                return
            count = len(answer.events)
            waiting.textContent = ('Stored for this browser\'s random id ' + uid + ' in the last '
                                   + answer.retentionDays + ' days: ' + count + (' record.' if count == 1 else ' records.'))
            if count:
                records_table(win, section, answer.events)
            button(win, section, 'Delete my data',
                   lambda: ask_collector(win, settings, 'my-data/delete.json', uid, deleted))
        except:  # noqa: E722 - a malformed answer leaves the message as it is
            pass

    ask_collector(win, settings, 'my-data.json', uid, answered)


def render(win, element, settings, status):
    """The element from scratch: status, one button, the visitor's data."""
    def refresh():
        render_with_status(win, element, settings)

    def choose(command):
        win.candor(command)
        refresh()

    try:
        element.textContent = ''
        element.setAttribute('data-candor-status', 'on' if status.tracking else 'off')
        add(win, element, 'p', status_text(status))
        if 'optout' in status.reasons:
            button(win, element, 'Opt back in', lambda: choose('optIn'))
            if len(status.reasons) > 1:
                add(win, element, 'p', 'Opting back in does not override the other reasons above.')
        else:
            button(win, element, 'Opt out', lambda: choose('optOut'))
            add(win, element, 'p', 'Opting out forgets this browser\'s random id: delete your data first '
                                   'to remove what is stored.')
        if status.cookieless:
            add(win, element, 'p', 'This site counts visits without cookies: nothing it stores can be '
                                   'linked to this browser.')
        elif settings:
            show_data(win, element, settings, refresh)
    except:  # noqa: E722 - never throw into the privacy page
        pass


def render_with_status(win, element, settings):
    win.candor('status', lambda status: render(win, element, settings, status))


def queue_stub(win):
    """The snippet's stub, where the tag has not loaded yet: calls wait in candor.q for it."""
    if not win.candor:
        def stub(command, first, second):
            stub.q.append([command, first, second])
        stub.q = []
        win.candor = stub


def boot_choice(win, script):
    """Render every data-candor-choice element once the document is parsed."""
    def start():
        try:
            settings = choice_settings(win, script)
            elements = win.document.querySelectorAll('[data-candor-choice]')
            for index in range(elements.length):
                render_with_status(win, elements[index], settings)
        except:  # noqa: E722
            pass

    try:
        queue_stub(win)
        if win.document.readyState == 'loading':
            win.document.addEventListener('DOMContentLoaded', start)
        else:
            start()
    except:  # noqa: E722
        pass


# __pragma__ ('ecom')
#?boot_choice(window, document.currentScript)
