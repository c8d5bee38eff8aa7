"""Entry point of the bundle: reads the page once, then wires settings, commands and the tracker.

Every entry point catches everything with a bare except: a tag on someone else's page must
never throw into it, whatever the page, the browser or the network do.
"""
from command_queue import install_command_queue
from config import apply_init, config_from_script, settings_problem
from consent_platforms import watch_consent_platforms
from cookies import OPTOUT_COOKIE, delete_cookie
from history import watch_url_changes
from leaks import watch_leaks
from notices import warn
from payload import named_event, page_event
from privacy import DENIED, GRANTED
from tracker import create_tracker, renew_opt_out


def run_command(win, config, tracker, command, first, second):
    """One candor(command, first, second) call; False refuses an unknown command or a bad argument."""
    if command == 'init':
        return apply_init(win, config, first)
    if command == 'page':
        tracker['_enqueue'](page_event(win, first, win.document.referrer))
    elif command == 'event' and first:
        tracker['_enqueue'](named_event(win, first, second))
    elif command == 'optOut':
        tracker['_opt_out']()
    elif command == 'optIn':
        delete_cookie(win, config, OPTOUT_COOKIE)
    elif command == 'consent' and (first == GRANTED or first == DENIED):
        tracker['_decide']('consent', first)
    elif command == 'status':
        reasons = tracker['_blockers']()
        status = {'tracking': not len(reasons), 'reasons': reasons}
        # Only in cookieless mode, so the two-key answer of every other site stays as it was.
        if config['cookieless']:
            status['cookieless'] = True
        first(status)
    else:
        return False


def command_runner(win, config, tracker):
    """The dispatcher behind candor(...): an unknown command or a bad argument is one warning."""
    def run(command, first, second):
        try:
            if run_command(win, config, tracker, command, first, second) is False:
                warn(win, 'ignored ' + command)
        except:  # noqa: E722 - native JS errors are not Python exceptions
            warn(win, 'ignored ' + command)
    return run


def boot(win):
    """Read settings, replay queued commands, name a setting that cannot work, renew an opt-out,
    ask the consent platforms, count this page, watch for leaks."""
    try:
        config = config_from_script(win)
        tracker = create_tracker(win, config)
        run = command_runner(win, config, tracker)
        if not install_command_queue(win, run):
            return
        problem = settings_problem(config)
        if problem:
            warn(win, problem + ' missing or malformed')
        renew_opt_out(win, config)
        watch_consent_platforms(win, config, tracker['_decide'])
        watch_leaks(win, config, tracker['_enqueue'])
        # Whatever is still pending when the page goes away or is hidden leaves now.
        win.addEventListener('pagehide', tracker['_flush'])
        win.document.addEventListener(
            'visibilitychange',
            lambda: tracker['_flush']() if win.document.visibilityState == 'hidden' else None)
        if config['autoPageview']:
            run('page', None, None)
            if config['spa']:
                watch_url_changes(win, lambda ref: tracker['_enqueue'](page_event(win, None, ref)))
    except:  # noqa: E722
        pass


# Only the bundle boots: Transcrypt runs the executable comment below (ecom), CPython skips it.
# __pragma__ ('ecom')
#?boot(window)
