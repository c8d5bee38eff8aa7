"""Stats API tokens (CONTRACT.md §6): each opens one site's numbers, is shown once when
created in the dashboard, and is kept only as its SHA-256, so the database alone
opens nothing. 256 random bits make a salt and a slow hash unnecessary."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from ..storage.tables import api_token

TOKEN_PREFIX = "cnd_"
SHOWN_PREFIX_LENGTH = 10
MAX_NAME_LENGTH = 60
MAX_TOKENS_PER_SITE = 20


class TokenError(ValueError):
    """A token request the publisher can correct."""


@dataclass(frozen=True)
class StoredToken:
    id: int
    site: str
    name: str
    prefix: str
    created_at: int


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(connection, site, name, now_ms):
    """A new token for `site`; returns the token itself, which is never stored."""
    name = " ".join((name or "").split())[:MAX_NAME_LENGTH]
    if not name:
        raise TokenError("name the token (who or what will use it)")
    if len(tokens_of(connection, site)) >= MAX_TOKENS_PER_SITE:
        raise TokenError(f"at most {MAX_TOKENS_PER_SITE} tokens per site: revoke one first")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    connection.execute(
        insert(api_token).values(site=site, name=name, digest=digest(token), prefix=token[:SHOWN_PREFIX_LENGTH], created_at=now_ms)
    )
    connection.commit()
    return token


def site_of_token(connection, token):
    """The site a presented token opens, or None. Looked up by digest, then compared in
    constant time, so timing tells nothing about stored digests."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    wanted = digest(token)
    row = connection.execute(select(api_token.c.site, api_token.c.digest).where(api_token.c.digest == wanted)).first()
    if row is None or not hmac.compare_digest(row.digest, wanted):
        return None
    return row.site


def tokens_of(connection, site):
    rows = connection.execute(
        select(api_token.c.id, api_token.c.site, api_token.c.name, api_token.c.prefix, api_token.c.created_at)
        .where(api_token.c.site == site)
        .order_by(api_token.c.id)
    )
    return [StoredToken(*row) for row in rows]


def revoke_token(connection, site, token_id):
    connection.execute(delete(api_token).where(api_token.c.site == site, api_token.c.id == token_id))
    connection.commit()
