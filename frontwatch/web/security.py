"""Users, password hashing (argon2id), login sessions, CSRF tokens and login rate limiting.

A session is a random token in an HttpOnly, SameSite=Strict cookie; the store keeps only its SHA-256
and the session's CSRF token. Roles: viewer (read), analyst (review, merge, split, undo), admin
(analyst + users). With no users at all the workbench is read-only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import FrontwatchError, NotFoundError
from ..store.schema import UserRow, WebSessionRow

ROLES = ("viewer", "analyst", "admin")
RANK = {role: n for n, role in enumerate(ROLES)}
SESSION_COOKIE = "fw_session"
SESSION_LIFETIME = timedelta(hours=12)
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_hasher = PasswordHasher()


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_username(name: str) -> str:
    if not USERNAME.match(name or ""):
        raise FrontwatchError("a user name is 1-120 letters, digits, '.', '_', '@' or '-'")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise FrontwatchError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise FrontwatchError(f"a password has at most {MAX_PASSWORD} characters")
    return password


def has_users(session: Session) -> bool:
    return session.scalar(select(UserRow.id).limit(1)) is not None


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count(UserRow.id))) or 0)


def add_user(session: Session, name: str, password: str, role: str) -> UserRow:
    """A new user (names are unique, case-insensitively)."""
    check_username(name)
    check_password(password)
    if role not in ROLES:
        raise FrontwatchError(f"role must be one of {', '.join(ROLES)}")
    if _find(session, name) is not None:
        raise FrontwatchError(f"user '{name}' exists already")
    user = UserRow(username=name, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, name: str, password: str) -> None:
    user = _find(session, name)
    if user is None:
        raise NotFoundError(f"no user '{name}'")
    user.password_hash = hash_password(check_password(password))
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))


def remove_user(session: Session, name: str) -> None:
    user = _find(session, name)
    if user is None:
        raise NotFoundError(f"no user '{name}'")
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))
    session.delete(user)


def list_users(session: Session) -> list[dict[str, str]]:
    return [{"name": u.username, "role": u.role, "created_at": u.created_at.isoformat()}
            for u in session.scalars(select(UserRow).order_by(UserRow.username))]


def _find(session: Session, name: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(func.lower(UserRow.username) == name.lower())).first()


def authenticate(session: Session, name: str, password: str) -> UserRow | None:
    """The user when the password is right; the same work is done for an unknown name."""
    user = _find(session, name) if USERNAME.match(name or "") else None
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start_session(session: Session, user: UserRow) -> str:
    """A new login session for `user`; returns the cookie's token (only its hash is stored)."""
    now = datetime.now(UTC)
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(WebSessionRow(token_hash=_digest(token), user_id=user.id, csrf=secrets.token_urlsafe(32),
                              created_at=now, expires_at=now + SESSION_LIFETIME))
    session.flush()
    return token


def session_user(session: Session, token: str | None) -> tuple[CurrentUser, str] | None:
    """The user and CSRF token of a live session."""
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(WebSessionRow, UserRow).join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.token_hash == _digest(token))).first()
    if row is None:
        return None
    web, user = row
    expires = web.expires_at if web.expires_at.tzinfo else web.expires_at.replace(tzinfo=UTC)
    if expires < datetime.now(UTC) or user.role not in ROLES:
        return None
    return CurrentUser(user.id, user.username, user.role), web.csrf


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _digest(token)))


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and secrets.compare_digest(
        (given or "").encode("utf-8", "replace"), (expected or "").encode("utf-8", "replace"))


def is_loopback(host: str | None) -> bool:
    """Whether a client address (as the server saw it, after any trusted proxy) is a loopback address."""
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


class LoginLimiter:
    """Failed logins within `window` seconds: at most `attempts` per user name from one client, 3x that
    per client for any names, and `spread`x per user name from all clients together. One address can
    thus never lock a user out for everyone else (it is stopped by its own limits first); only many
    addresses together can."""

    def __init__(self, attempts: int = 10, window: float = 600.0, spread: int = 10) -> None:
        self.attempts, self.window, self.spread = attempts, window, spread
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, name: str, client: str) -> bool:
        now, name = time.monotonic(), name.lower()
        with self._lock:
            return (len(self._recent(f"pair:{client}:{name}", now)) >= self.attempts
                    or len(self._recent(f"client:{client}", now)) >= 3 * self.attempts
                    or len(self._recent(f"user:{name}", now)) >= self.spread * self.attempts)

    def failed(self, name: str, client: str) -> None:
        now, name = time.monotonic(), name.lower()
        with self._lock:
            for key in (f"pair:{client}:{name}", f"client:{client}", f"user:{name}"):
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget keys whose failures are all older than the window
                for key in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[key]

    def succeeded(self, name: str, client: str) -> None:
        with self._lock:
            self._failures.pop(f"pair:{client}:{name.lower()}", None)
