"""Generated traffic of a realistic shape for the analytics tests and the dashboard
bench: visitors who come back, visits of a few pages with pauses (some near the
30-minute visit boundary), search, social, newsletter and campaign arrivals, custom
events with props, a pricing-to-signup path, and the browsers, screens, languages
and time zones of a general news audience. Deterministic for a given seed.

Each item is one beacon as the collector receives it: (received_at ms, site, uid,
User-Agent, [wire events])."""

import random
import uuid
from dataclasses import dataclass

MINUTE_MS = 60_000
ORIGIN = "https://news.example"
ARTICLES = [f"/articles/story-{n}" for n in range(1, 61)]
APPLE_WEBKIT = "AppleWebKit/605.1.15 (KHTML, like Gecko)"
CHROME_131 = "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
USER_AGENTS = (
    (30, f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {CHROME_131} Safari/537.36", 1920),
    (10, "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", 1366),
    (12, f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {APPLE_WEBKIT} Version/18.1 Safari/605.1.15", 1440),
    (22, f"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) {APPLE_WEBKIT} Version/18.1 Mobile/15E148 Safari/604.1", 390),
    (18, f"Mozilla/5.0 (Linux; Android 14; Pixel 8) {CHROME_131} Mobile Safari/537.36", 412),
    (4, f"Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) {APPLE_WEBKIT} Version/17.6 Mobile/15E148 Safari/604.1", 820),
    (4, f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {CHROME_131} Safari/537.36 Edg/131.0.0.0", 2560),
)
TIME_ZONES = ((30, "Europe/Paris"), (20, "America/New_York"), (10, "Europe/Berlin"), (8, "Asia/Calcutta"),
              (6, "Europe/Kiev"), (8, "Asia/Tokyo"), (6, "America/Sao_Paulo"), (6, "Australia/Sydney"),
              (6, "UTC"))
LANGUAGES = ((40, "en-US"), (25, "fr-FR"), (15, "de-DE"), (10, "ja-JP"), (10, "pt-BR"))
# (weight, referrer, query string of the landing page)
ARRIVALS = (
    (35, None, ""),
    (18, "https://www.google.com/search?q=river+news", ""),
    (5, "https://www.bing.com/", ""),
    (4, "https://duckduckgo.com/", ""),
    (8, "https://t.co/abc", ""),
    (5, "https://www.facebook.com/", ""),
    (5, "https://news.ycombinator.com/item?id=1", ""),
    (6, "https://blog.partner.example/post", ""),
    (7, None, "?utm_source=weekly&utm_medium=email&utm_campaign=november"),
    (5, "https://ads.example/click", "?utm_source=adnet&utm_medium=cpc&utm_campaign=winter&utm_term=local+news&utm_content=banner"),
    (2, "https://mail.google.com/", ""),
)


@dataclass
class Beacon:
    received_at: int
    site: str
    uid: str
    user_agent: str
    events: list


def _pick(rng, weighted):
    return rng.choices(weighted, weights=[item[0] for item in weighted])[0]


def _pause_ms(rng):
    """Time before the next event of a visit; a few land just under or over 30 minutes."""
    roll = rng.random()
    if roll < 0.03:
        return 29 * MINUTE_MS + rng.randrange(0, 50_000)
    if roll < 0.06:
        return 31 * MINUTE_MS + rng.randrange(0, 50_000)
    return rng.randrange(3_000, 8 * MINUTE_MS)


def _pages_of_visit(rng, landing):
    """The paths one visit views after landing, and the custom events along the way."""
    steps = [("page", landing)]
    for _ in range(min(int(rng.expovariate(0.7)), 9)):
        roll = rng.random()
        if roll < 0.12:
            steps.append(("page", "/pricing"))
            if rng.random() < 0.35:
                steps.append(("page", "/signup"))
                if rng.random() < 0.6:
                    steps.append(("event", "signup", {"plan": rng.choice(["free", "free", "pro"])}))
        elif roll < 0.2:
            steps.append(("event", "download", {"file": rng.choice(["report.pdf", "data.csv"])}))
        else:
            steps.append(("page", rng.choice(ARTICLES[: rng.choice((5, 20, 60))])))
    return steps


def generate(seed, visitors, first_ms, last_ms, site="demo"):
    """Beacons of `visitors` visitors between `first_ms` and `last_ms`, in time order."""
    rng = random.Random(seed)
    beacons = []
    span = last_ms - first_ms
    for _ in range(visitors):
        uid = uuid.UUID(int=rng.getrandbits(128)).hex
        _, user_agent, width = _pick(rng, USER_AGENTS)
        tz = _pick(rng, TIME_ZONES)[1]
        lang = _pick(rng, LANGUAGES)[1]
        skew = rng.randrange(-120_000, 120_000)  # the browser's clock is a little off
        at = first_ms + rng.randrange(0, span)
        for _ in range(1 + min(int(rng.expovariate(1.2)), 6)):
            _, ref, query = _pick(rng, ARRIVALS)
            landing = rng.choice(["/", *ARTICLES[:10], *ARTICLES])
            previous_url = ref
            for index, step in enumerate(_pages_of_visit(rng, landing)):
                if at > last_ms:
                    break
                url = ORIGIN + step[1] + (query if index == 0 else "")
                event = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "ts": at + skew,
                         "url": url if step[0] == "page" else previous_url_or(url, previous_url),
                         "ref": previous_url if step[0] == "page" else None,
                         "title": step[1], "lang": lang, "tz": tz, "sw": width, "sh": 800, "attrs": {}}
                if step[0] == "page":
                    event["type"] = "page"
                    previous_url = url
                else:
                    event.update(type="event", name=step[1], props=step[2])
                beacons.append(Beacon(at, site, uid, user_agent, [event]))
                at += _pause_ms(rng)
            at += rng.randrange(40 * MINUTE_MS, 10 * 24 * 60 * MINUTE_MS)
    beacons.sort(key=lambda beacon: beacon.received_at)
    return beacons


def previous_url_or(url, previous_url):
    """A custom event is sent from the page the visitor is on."""
    return previous_url if previous_url and previous_url.startswith(ORIGIN) else url


def wire_body(beacon):
    """The beacon as the tag would POST it."""
    return {"v": 1, "site": beacon.site, "uid": beacon.uid, "events": beacon.events}
