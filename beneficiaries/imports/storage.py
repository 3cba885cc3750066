"""The uploaded file between preview and confirmation: a private file outside any served
path, named by a random id, reachable only through a signed token that names the user,
the project and the kind of import."""

import time
import uuid
from pathlib import Path as FsPath

from django.conf import settings
from django.core import signing

SALT = "beneficiaries.imports"
MAX_AGE = 60 * 60  # an upload waits for confirmation at most one hour


def _directory() -> FsPath:
    root = FsPath(
        getattr(settings, "IMPORT_PRIVATE_DIR", FsPath(settings.MEDIA_ROOT) / "private" / "imports")
    )
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def stash(*, data: bytes, user, project, kind: str, filename: str) -> str:
    """Store the upload and return the token that reaches it."""
    directory = _directory()
    # Uploads never confirmed are removed once their token has expired.
    limit = time.time() - MAX_AGE
    for old in directory.iterdir():
        if old.is_file() and old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    name = uuid.uuid4().hex
    path = directory / name
    path.write_bytes(data)
    path.chmod(0o600)
    return signing.dumps(
        {"f": name, "u": user.pk, "p": project.pk, "k": kind, "n": filename[:200]}, salt=SALT
    )


def load(token: str, *, user, project, kind: str) -> tuple[bytes, str] | None:
    """The stored bytes and original file name, or None if the token is not this user's,
    for this project and kind, or has expired."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if (payload.get("u"), payload.get("p"), payload.get("k")) != (user.pk, project.pk, kind):
        return None
    path = _directory() / payload["f"]
    if not path.is_file():
        return None
    return path.read_bytes(), payload.get("n", "")


def discard(token: str) -> None:
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return
    (_directory() / payload["f"]).unlink(missing_ok=True)
