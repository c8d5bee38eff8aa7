"""The public `candor(...)` function: replaces the snippet's stub and replays what it queued."""


def install_command_queue(win, run):
    """Run calls queued by the stub (CONTRACT.md §1) in order, then take later calls at once."""
    stub = win.candor
    if stub and stub.loaded:
        return False
    queued = (stub and stub.q) or []

    run.loaded = True
    win.candor = run
    for args in queued:
        run(args[0], args[1], args[2])
    return True
