"""Secrets the demo makes for itself on first run (the dashboard password, the
session signing key), kept in the data directory readable by its owner only, so
there is never a built-in default and a restart keeps the same values."""

import os
import secrets
import tempfile
from pathlib import Path


def read_or_create(path, nbytes=18):
    """(value, created): the secret stored at `path`, made and stored if missing.
    The file appears complete or not at all (written aside, then hard-linked into
    place), so two workers starting at once agree on one value."""
    path = Path(path)
    if not path.exists():
        value = secrets.token_urlsafe(nbytes)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as draft_file:
                draft_file.write(value + "\n")
            os.link(draft, path)
            return value, True
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ValueError(f"{path} is empty: delete it and a new secret is made at the next start")
    return value, False
