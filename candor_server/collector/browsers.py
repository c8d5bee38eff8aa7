"""The browser family of a visit ("Firefox", "Chrome Mobile"…), from the
User-Agent header with `ua-parser`'s maintained rules; the version, the device
and the operating system are left out because the dashboard does not need them."""

from ua_parser import parse_user_agent

MAX_USER_AGENT_LENGTH = 512  # real ones are shorter; a bound keeps parsing cheap
UNKNOWN = "Other"


def browser_family(user_agent):
    """The family name, or "Other" when the header is missing or unrecognised."""
    if not user_agent:
        return UNKNOWN
    parsed = parse_user_agent(user_agent[:MAX_USER_AGENT_LENGTH])
    return parsed.family if parsed else UNKNOWN
