"""Content hashes that identify a file's bytes (the load cache's key)."""

from __future__ import annotations

import hashlib


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's content, as hex."""
    return hashlib.sha256(data).hexdigest()
