"""What kind of device a visit came from: browser family, operating system and
device type from the User-Agent header (`ua-parser`'s maintained rules), and a
screen class from the width the tag reports. Versions and models are dropped: the
dashboard counts kinds of devices, it does not fingerprint one."""

from dataclasses import dataclass

from ua_parser import parse

MAX_USER_AGENT_LENGTH = 512  # real ones are shorter; a bound keeps parsing cheap
UNKNOWN = "Other"
MOBILE_SYSTEMS = frozenset({"iOS", "Android", "Windows Phone", "KaiOS", "BlackBerry OS", "Firefox OS"})
# (upper bound of the CSS width, class), the breakpoints Plausible uses.
SCREEN_CLASSES = ((576, "Mobile"), (992, "Tablet"), (1440, "Laptop"))
WIDEST_SCREEN_CLASS = "Desktop"


@dataclass(frozen=True)
class Device:
    browser: str
    os: str
    kind: str  # desktop, mobile, tablet or bot


def device_of(user_agent):
    """Browser, operating system and device type; "Other" and desktop when unknown."""
    if not user_agent:
        return Device(UNKNOWN, UNKNOWN, "desktop")
    user_agent = user_agent[:MAX_USER_AGENT_LENGTH]
    parsed = parse(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else UNKNOWN
    system = parsed.os.family if parsed.os else UNKNOWN
    hardware = parsed.device
    return Device(browser, system, _kind(user_agent, system, hardware))


def _kind(user_agent, system, hardware):
    """ua-parser names devices, not their type: tablets are told by their model or by an
    Android browser that does not call itself Mobile (Google's documented convention)."""
    if hardware is not None and hardware.family == "Spider":
        return "bot"
    tablet_model = hardware is not None and (hardware.family.startswith("iPad") or "Tablet" in (hardware.brand or ""))
    if tablet_model or "Tablet" in user_agent or (system == "Android" and "Mobile" not in user_agent):
        return "tablet"
    if system in MOBILE_SYSTEMS or "Mobile" in user_agent:
        return "mobile"
    return "desktop"


def screen_class(width):
    """Mobile, Tablet, Laptop or Desktop from the CSS screen width; None when not sent."""
    if not isinstance(width, int) or width <= 0:
        return None
    for bound, name in SCREEN_CLASSES:
        if width < bound:
            return name
    return WIDEST_SCREEN_CLASS
