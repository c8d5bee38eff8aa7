"""What a fake window sent to the collector, decoded, whichever transport carried it."""
import json
from urllib.parse import parse_qs, urlsplit


def sent_bodies(win):
    """Every body sent by the end of the current tick, in the order beacon, fetch, pixel."""
    win.end_tick()
    bodies = [json.loads(body) for _, body in win.navigator.beacons]
    bodies += [json.loads(options["body"]) for _, options in win.fetch.calls]
    bodies += [json.loads(parse_qs(urlsplit(image.src).query)["d"][0]) for image in win.images]
    return bodies


def sent_events(win):
    return [event for body in sent_bodies(win) for event in body["events"]]
