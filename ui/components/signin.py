"""Sign-in for the admin page: a password checked against its salted hash, or OIDC through ``st.login``.

Configured in Streamlit secrets or the environment, never with a plain password:

- ``BULLETINS_ADMIN_PASSWORD_HASH`` (environment) or ``[admin] password_hash`` (secrets): the line that
  ``bulletins admin-password`` prints;
- an ``[auth]`` section (Streamlit's OIDC settings) with ``[admin] editors = ["name@example.org", ...]``: the
  editors sign in with their identity provider; anyone else who signs in is refused.

Without either, the page explains how to configure one and offers no way to write. Who is signed in lives in
``st.session_state`` (password) or ``st.user`` (OIDC) and is checked again on every run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import streamlit as st

from service.secrets import is_secret_hash, verify_secret
from ui.i18n import t
from ui.markdown import md

ENV_HASH = "BULLETINS_ADMIN_PASSWORD_HASH"
FAILED_DELAY_S = 1.0  # after a wrong password, so guessing is slow
DEFAULT_ACTOR = "admin"
_SESSION_KEY = "_admin_signin"


class Signin(NamedTuple):
    """Who is signed in (a name or an e-mail address) and how: ``password`` or ``oidc``."""

    actor: str
    via: str


@dataclass(frozen=True)
class AdminAuth:
    """How the admin page signs people in, as configured."""

    password_hash: str = ""
    providers: tuple[str | None, ...] = ()  # OIDC providers for st.login (None: the unnamed default)
    editors: frozenset[str] = frozenset()  # lower-case e-mail addresses allowed through OIDC

    @property
    def configured(self) -> bool:
        return self.password_ok or bool(self.providers)

    @property
    def password_ok(self) -> bool:
        return is_secret_hash(self.password_hash)


def admin_auth(environ: Mapping[str, str]) -> AdminAuth:
    """The sign-in configuration from ``environ`` (the password hash) and Streamlit secrets."""
    secrets = _secrets()
    admin = secrets.get("admin") if isinstance(secrets.get("admin"), Mapping) else {}
    auth = secrets.get("auth") if isinstance(secrets.get("auth"), Mapping) else {}
    named = tuple(k for k, v in auth.items() if isinstance(v, Mapping))
    providers: tuple[str | None, ...] = (None,) if "client_id" in auth else named
    editors = frozenset(str(e).strip().lower() for e in admin.get("editors", ()) if str(e).strip())
    password_hash = (environ.get(ENV_HASH) or str(admin.get("password_hash", ""))).strip()
    return AdminAuth(password_hash, providers, editors)


def _secrets() -> Mapping[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets.toml: configuration comes from the environment only
        return {}


def current_signin(auth: AdminAuth) -> Signin | None:
    """Who may write now: an editor signed in through OIDC, or this session's password sign-in."""
    if auth.providers and st.user.get("is_logged_in", False):
        email = str(st.user.get("email") or "")
        if email.lower() in auth.editors and st.user.get("email_verified", True) is not False:
            return Signin(email, "oidc")
    held = st.session_state.get(_SESSION_KEY)
    if held and auth.password_ok and held["hash"] == auth.password_hash:  # a changed password signs out
        return Signin(held["actor"], "password")
    return None


def require_signin(auth: AdminAuth, lang: str) -> Signin | None:
    """Who is signed in (with a sign-out button), or None after drawing the way to sign in."""
    if signin := current_signin(auth):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.caption(t("signin.as", lang, actor=md(signin.actor)))
        if right.button(t("signin.out", lang), key="admin-signout", icon=":material/logout:"):
            sign_out(signin)
        return signin
    if not auth.configured:
        render_how_to(auth, lang)
        return None
    if auth.providers:
        render_oidc(auth, lang)
    if auth.password_ok:
        render_password_form(auth, lang)
    return None


def sign_out(signin: Signin) -> None:
    """End the sign-in: forget the session's password sign-in, or log out of the identity provider."""
    st.session_state.pop(_SESSION_KEY, None)
    if signin.via == "oidc":
        st.logout()
    st.rerun()


def render_how_to(auth: AdminAuth, lang: str) -> None:
    """Explain that writing is off until a password hash or OIDC is configured, and how to do it."""
    if auth.password_hash:
        st.error(t("signin.bad_hash", lang, env=ENV_HASH))
    st.warning(t("signin.not_configured", lang))
    st.code(f"bulletins admin-password            # type the password; prints the hash\n"
            f"export {ENV_HASH}='scrypt:…'\nbulletins app --admin", language="bash")
    st.markdown(t("signin.other_ways", lang))


def render_oidc(auth: AdminAuth, lang: str) -> None:
    """Buttons to sign in with the identity provider(s); a signed-in non-editor is told so."""
    if st.user.get("is_logged_in", False):
        st.warning(t("signin.not_editor", lang, email=md(str(st.user.get("email") or "?"))))
        if st.button(t("signin.out", lang), key="admin-oidc-signout", icon=":material/logout:"):
            st.logout()
        return
    for provider in auth.providers:
        label = t("signin.with", lang, provider=provider or "SSO")
        if st.button(label, key=f"admin-login-{provider or 'default'}", icon=":material/login:", type="primary"):
            st.login(provider)


def render_password_form(auth: AdminAuth, lang: str) -> None:
    """Name and password; a wrong password is refused after a short delay."""
    with st.form("admin-signin", clear_on_submit=True, enter_to_submit=True):
        name = st.text_input(t("signin.name", lang), key="admin-name", max_chars=80)
        password = st.text_input(t("signin.password", lang), key="admin-password", type="password")
        submitted = st.form_submit_button(t("signin.submit", lang), key="admin-signin-submit", type="primary",
                                          icon=":material/key:")
    if not submitted:
        return
    if password and verify_secret(password, auth.password_hash):
        st.session_state[_SESSION_KEY] = {"actor": name.strip() or DEFAULT_ACTOR, "hash": auth.password_hash}
        st.rerun()
    time.sleep(FAILED_DELAY_S)
    st.error(t("signin.wrong", lang))
