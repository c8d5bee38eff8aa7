"""Why a request must not be tracked: the one place the server reads a visitor's
privacy signals, shared by the collector (which then stores nothing) and the
choice page (which explains them), so the two can never disagree."""

ID_COOKIE = "candor_id"
OPTOUT_COOKIE = "candor_optout"


def tracking_blockers(headers, cookies):
    """The reasons tracking is off for this request, named as in the tag's
    `status` command: `dnt`, `gpc`, `optout`; empty when tracking is allowed."""
    reasons = []
    if headers.get("DNT", "").strip() == "1":
        reasons.append("dnt")
    if headers.get("Sec-GPC", "").strip() == "1":
        reasons.append("gpc")
    if OPTOUT_COOKIE in cookies:
        reasons.append("optout")
    return reasons
