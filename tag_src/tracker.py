"""The one road out of the browser: every event goes through enqueue, and flush asks
tracking_blockers right before anything is sent (CONTRACT.md §2).

Events of one tick leave in one request, sent in a microtask right after the code that
made them: batched, yet without waiting for the event loop's next task. While a decision is
still to come (a site that requires consent, a consent platform that has not answered), events
wait too; they leave once it is granted and are dropped once it is denied or the visitor opts out.
"""
# __pragma__ ('alias', 'append', 'push')
from cookies import ID_COOKIE, ID_MAX_AGE, OPTOUT_COOKIE, OPTOUT_MAX_AGE, delete_cookie, read_cookie, write_cookie
from ids import is_visitor_id, visitor_id
from payload import envelope
from privacy import WAIT, tracking_blockers, waiting_for_decisions
from scrub import js_replace_all, scrub_event
from transport import send

MAX_BATCH = 10
"""Events per request: ten ordinary events stay far below the collector's 32 KiB."""
MAX_WAITING = 50
"""Events kept while consent is pending; more are dropped rather than held without bound."""


def create_tracker(win, config):
    """A dict of closures over one page's state: enqueue, flush, blockers, decide, opt_out."""
    decisions = {'consent': WAIT, 'tcf': None, 'gpp': None}
    pending = []
    scheduled = False

    def blockers():
        return tracking_blockers(win, config, decisions)

    def send_batch(uid, events):
        send(win, config['collector'], win.JSON.stringify(envelope(config['site'], uid, events)))

    def flush():
        """Send what is pending if nothing blocks it, keep it while consent is pending, else drop it.

        It runs as a microtask or from a page event, where an exception would reach the page's
        error handlers.
        """
        nonlocal pending, scheduled
        try:
            scheduled = False
            events = pending
            if not len(events):
                return
            reasons = blockers()
            if waiting_for_decisions(reasons, decisions):
                return
            pending = []
            if len(reasons):
                return
            uid = None
            if not config['cookieless']:
                uid = read_cookie(win.document, ID_COOKIE)
                if not is_visitor_id(uid):
                    uid = visitor_id(win)
            batch = []
            replace_all = js_replace_all(win)
            for event in events:
                # __pragma__ ('ifndef', 'without_scrubbing')
                batch.append(scrub_event(event, config['scrubParams'], replace_all, win.Object.js_keys))
                # __pragma__ ('else')
                # __pragma__ ('ecom')
                #?batch.append(event)
                # __pragma__ ('noecom')
                # __pragma__ ('endif')
                if len(batch) == MAX_BATCH:
                    send_batch(uid, batch)
                    batch = []
            if len(batch):
                send_batch(uid, batch)
            if uid:
                # The visitor's id, renewed for another 180 days: it lapses after six months away.
                # Written after the send: the first write of a page searches the cookie domain.
                write_cookie(win, config, ID_COOKIE, uid, ID_MAX_AGE)
        except:  # noqa: E722
            pass

    def enqueue(event):
        """The single entry for anything bound for the collector (page, event, leak)."""
        nonlocal scheduled
        if len(pending) < MAX_WAITING:
            pending.append(event)
        if not scheduled:
            scheduled = True
            win.Promise.resolve().then(flush)

    def decide(name, value):
        """A decision made after load ('consent', 'tcf', 'gpp'): what waits leaves or is dropped now."""
        decisions[name] = value
        flush()

    def opt_out():
        nonlocal pending
        write_cookie(win, config, OPTOUT_COOKIE, '1', OPTOUT_MAX_AGE)
        delete_cookie(win, config, ID_COOKIE)
        pending = []

    return {'_enqueue': enqueue, '_flush': flush, '_blockers': blockers,
            '_decide': decide, '_opt_out': opt_out}


def renew_opt_out(win, config):
    """An opt-out never lapses while the visitor keeps coming (browsers cap cookies at 400 days)."""
    if read_cookie(win.document, OPTOUT_COOKIE) is not None:
        write_cookie(win, config, OPTOUT_COOKIE, '1', OPTOUT_MAX_AGE)
