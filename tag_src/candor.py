"""Entry point of the bundle: reads the page once, then wires settings, privacy and transport.

Every entry point catches everything with a bare except: a tag on someone else's page must
never throw into it, whatever the page, the browser or the network do.
"""
from command_queue import install_command_queue
from config import apply_init, config_from_script
from cookies import ID_COOKIE, ID_MAX_AGE, OPTOUT_COOKIE, OPTOUT_MAX_AGE, delete_cookie, read_cookie, write_cookie
from ids import is_visitor_id, visitor_id
from leaks import watch_leaks
from payload import envelope, page_event
from privacy import tracking_blockers
from transport import send


def current_visitor_id(win):
    """The visitor's id, renewed for another 180 days: it lapses after six months away."""
    uid = read_cookie(win.document, ID_COOKIE)
    if not is_visitor_id(uid):
        uid = visitor_id(win)
    write_cookie(win, ID_COOKIE, uid, ID_MAX_AGE)
    return uid


def send_event(win, config, event):
    """Send one event, unless anything in tracking_blockers says no."""
    if len(tracking_blockers(win)) or not config['site']:
        return False
    body = envelope(config['site'], current_visitor_id(win), [event])
    send(win, config['collector'], win.JSON.stringify(body))
    return True


def opt_out(win):
    write_cookie(win, OPTOUT_COOKIE, '1', OPTOUT_MAX_AGE)
    delete_cookie(win, ID_COOKIE)


def renew_opt_out(win):
    """An opt-out never lapses while the visitor keeps coming (browsers cap cookies at 400 days)."""
    if read_cookie(win.document, OPTOUT_COOKIE) is not None:
        write_cookie(win, OPTOUT_COOKIE, '1', OPTOUT_MAX_AGE)


def status(win, callback):
    reasons = tracking_blockers(win)
    callback({'tracking': len(reasons) == 0, 'reasons': reasons})


def command_runner(win, config):
    """The dispatcher behind candor(...); each command fails alone and silently."""
    def run(command, first, second):
        try:
            if command == 'init':
                apply_init(config, first)
            elif command == 'page':
                send_event(win, config, page_event(win, first))
            elif command == 'optOut':
                opt_out(win)
            elif command == 'optIn':
                delete_cookie(win, OPTOUT_COOKIE)
            elif command == 'status':
                status(win, first)
        except:  # noqa: E722 - native JS errors are not Python exceptions
            pass
    return run


def boot(win):
    """Read settings, renew an opt-out, replay queued commands, count this page, watch for leaks."""
    try:
        config = config_from_script(win.document)
        renew_opt_out(win)
        run = command_runner(win, config)
        if install_command_queue(win, run):
            if config['autoPageview']:
                run('page', None, None)
            watch_leaks(win, config, lambda event: send_event(win, config, event))
    except:  # noqa: E722
        pass


if __name__ == '__main__':
    boot(window)  # noqa: F821 - the browser's global, only reached in the bundle
