"""Sign-in for writes. Reading is open; every write needs a signed-in Secretariat user.

Two ways in, both configured in ``.streamlit/secrets.toml`` (never in the repository; see
``.streamlit/secrets.toml.example``):
- OpenID Connect through Streamlit's ``st.login`` when an ``[auth]`` table is present; only
  the e-mail addresses listed in ``[ieg_secretariat] emails`` count as Secretariat;
- a local fallback: ``[ieg_users]`` maps user names to argon2 password hashes (make one with
  ``ieg hash-password``). Failed attempts are rate-limited per user name and per server.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import streamlit as st
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SESSION_KEY = "ieg_signed_in_user"
MAX_FAILURES = 5  # per user name within WINDOW_S; the server as a whole allows 4x as many
WINDOW_S = 15 * 60
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


class AttemptLimiter:
    """Failed sign-ins per key within a sliding window; past the limit the key waits."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.window_s, self.clock = max_failures, window_s, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, key: str, *, limit: int | None = None) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        limit = limit or self.max_failures
        with self._lock:
            recent = self._recent(key)
            if len(recent) < limit:
                return 0.0
            return max(0.0, recent[-limit] + self.window_s - self.clock())

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        recent = self._failures.setdefault(key, deque(maxlen=64))
        while recent and recent[0] + self.window_s < self.clock():
            recent.popleft()
        return recent


@st.cache_resource(show_spinner=False)
def limiter() -> AttemptLimiter:
    """One limiter per server process, shared by every session."""
    return AttemptLimiter()


def _secret_table(name: str) -> dict:
    try:
        table = st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing is configured
        return {}
    return dict(table) if table else {}


def oidc_configured() -> bool:
    return bool(_secret_table("auth"))


def local_users() -> dict[str, str]:
    return {str(k): str(v) for k, v in _secret_table("ieg_users").items()}


def _secretariat_emails() -> set[str]:
    return {str(e).strip().lower() for e in _secret_table("ieg_secretariat").get("emails", [])}


def _oidc_user() -> str | None:
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").strip().lower()
    except Exception:
        return None
    return email if email and email in _secretariat_emails() else None


def signed_in_user() -> str | None:
    """The signed-in Secretariat user's name (an e-mail for OIDC), or None."""
    if oidc_configured():
        user = _oidc_user()
        if user:
            return user
    return st.session_state.get(SESSION_KEY)


def check_password(username: str, password: str, users: dict[str, str]) -> bool:
    """True when ``password`` matches the user's argon2 hash (same work for unknown users)."""
    stored = users.get(username)
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def try_sign_in(username: str, password: str) -> str | None:
    """Sign in with the local users; the one-sentence reason when refused, None on success."""
    username = username.strip()
    gate = limiter()
    wait = max(gate.wait_s(username), gate.wait_s("*", limit=4 * MAX_FAILURES))
    if wait > 0:
        return f"Too many failed attempts; try again in {int(wait // 60) + 1} minutes."
    if not check_password(username, password, local_users()):
        gate.failed(username)
        gate.failed("*")
        return "The user name or password is wrong."
    gate.succeeded(username)
    st.session_state[SESSION_KEY] = username
    return None


def sign_in_panel(actions: str = "adding or deleting documents") -> str | None:
    """The signed-in Secretariat user, or a sign-in form (and None). ``actions``: what the
    page keeps for the Secretariat, in the notice ("... needs a Secretariat sign-in")."""
    user = signed_in_user()
    if user:
        left, right = st.columns([4, 1])
        left.success(f"Signed in as **{user}** (Secretariat).", icon=":material/verified_user:")
        if right.button("Sign out"):
            st.session_state.pop(SESSION_KEY, None)
            if oidc_configured() and _oidc_user():
                st.logout()
            st.rerun()
        return user
    st.info(f"Reading is open to everyone; {actions} needs a Secretariat sign-in.")
    if oidc_configured():
        if _is_logged_in_elsewhere():
            st.warning("You are signed in, but not as a member of the Secretariat.")
        elif st.button("Sign in with your organisation's account", type="primary"):
            st.login()
    users = local_users()
    if users:
        with st.form("sign_in"):
            username = st.text_input("User name", max_chars=100)
            password = st.text_input("Password", type="password", max_chars=200)
            if st.form_submit_button("Sign in"):
                problem = try_sign_in(username, password)
                if problem:
                    st.error(problem)
                else:
                    st.rerun()
    elif not oidc_configured():
        st.caption(
            "No Secretariat users are configured on this server, so the data cannot be changed "
            "here (see the README, 'Sign-in')."
        )
    return None


def _is_logged_in_elsewhere() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:
        return False
