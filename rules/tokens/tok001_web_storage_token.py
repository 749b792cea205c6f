from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.diagnostics.redact import JWT_RE, scrub
from authlint.facts.model import Expr, StorageWrite
from authlint.files.kinds import JS_KINDS
from authlint.rule import Invalid, Rule, Valid

# Words that make a storage key or a stored value a credential.
TOKEN_WORDS = frozenset({"token", "jwt", "bearer", "auth", "authorization", "session", "sessionid", "sid", "credential", "credentials", "apikey"})
# In a stored value only unambiguous words count (an editor's `getSession()` is no credential).
VALUE_WORDS = frozenset({"token", "jwt", "bearer", "apikey", "credential", "credentials"})
# ... unless the name is about the token rather than the token itself (``tokenExpiry``).
META_WORDS = frozenset({"expiry", "expires", "expiration", "exp", "expire", "expired", "ttl", "type", "timestamp", "time", "at", "date", "count", "flag", "enabled", "mode", "provider", "method", "status", "state", "redirect", "url", "path", "route", "return", "next"})
# Keys that are plainly not credentials: a value put there is not reported for its name alone.
BENIGN_KEYS = frozenset({"theme", "locale", "lang", "language", "i18n", "darkmode", "colorscheme", "sidebar", "layout", "timezone", "currency", "cart", "consent", "cookieconsent", "onboarding", "tour", "draft", "settings", "preferences", "prefs", "font", "fontsize", "volume", "viewmode", "tab", "lastvisited", "recent"})
STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"' + r"|`[^`$]*`")
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words(text: str) -> list[str]:
    """``accessToken`` / ``access_token`` / ``X-Auth-Token`` -> ``["access", "token"]`` ..."""
    return [word.lower() for word in WORD_RE.findall(text)]


def token_like(name: str, vocabulary: frozenset[str] = TOKEN_WORDS) -> bool:
    """Whether a name denotes a credential (``refreshToken``), not data about one (``tokenExpiry``)."""
    parts = words(name)
    if not parts:
        return False
    if parts[-1] in META_WORDS or parts[0] in ("is", "has", "use", "should"):
        return False
    joined = "".join(parts)
    return any(part in vocabulary for part in parts) or joined in vocabulary


def _value_is_token(value: Expr | None) -> bool:
    """A JWT / ``Bearer`` literal, or code naming a token (``res.data.accessToken``, ``getToken()``)."""
    if value is None:
        return False
    if isinstance(value.value, str):
        return bool(JWT_RE.search(value.value)) or value.value.lower().startswith("bearer ")
    code = STRING_RE.sub("", value.text)  # names in the code, not words inside string literals
    return any(token_like(name, VALUE_WORDS) for name in re.findall(r"[A-Za-z_$][A-Za-z0-9_$]*", code))


def _short(code: str, limit: int = 40) -> str:
    flat = " ".join(code.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class WebStorageToken(Rule):
    """
    ## What it does
    Finds tokens written to `localStorage` or `sessionStorage` in JavaScript and TypeScript (and the
    `<script>` blocks of Vue/Svelte components and HTML pages):
    `setItem`, property assignment (`localStorage.token = t`) and index assignment
    (`localStorage["jwt"] = t`), through `window.`/`globalThis.` and key constants, in plain
    scripts, Angular services, React hooks and Vue components alike. A write counts when its key
    names a credential (`token`, `jwt`, `access_token`, `refreshToken`, `auth`, `session`,
    `bearer`, ...) or its value is one (`response.data.accessToken`, an `eyJ...` literal).

    ## Why is this bad?
    Web storage is readable by every script running on the page. One XSS bug or one compromised
    npm dependency reads the token and replays it from anywhere until it expires; an `HttpOnly`
    cookie cannot be read by scripts at all. OWASP's HTML5 Security Cheat Sheet: "Do not store
    session identifiers in local storage as the data is always accessible by JavaScript."

    ## Example
    ```ts
    login(token: string) {
      localStorage.setItem("access_token", token);
    }
    ```
    Use instead: let the server set the token as an `HttpOnly; Secure; SameSite` cookie, or keep
    a short-lived access token in memory and refresh it through such a cookie.

    ## Fix safety
    No fix: moving a token out of web storage changes how the app and its API authenticate.
    """

    code = "TOK001"
    name = "web-storage-token"
    summary = "token-like value written to localStorage or sessionStorage"
    kinds = JS_KINDS
    triggers = ("localstorage", "sessionstorage")
    severity = Severity.WARNING
    languages = "JS/TS"
    examples = (
        Invalid('localStorage.setItem("token", data.token);\n', path="login.js", count=1, message="localStorage"),
        Invalid("window.sessionStorage.setItem('jwt', jwt);\n", path="app.js", message="sessionStorage"),
        Invalid("localStorage.token = res.token;\n", path="app.js"),
        Invalid('localStorage["access_token"] = t;\n', path="app.mjs"),
        Invalid('globalThis.localStorage["refreshToken"] = refresh;\n', path="app.ts"),
        Invalid('const TOKEN_KEY = "auth_token";\nlocalStorage.setItem(TOKEN_KEY, value);\n', path="storage.js"),
        Invalid("localStorage.setItem(key, response.data.accessToken);\n", path="api.js"),
        Invalid(
            "import { Injectable } from '@angular/core';\n\n@Injectable({ providedIn: 'root' })\n"
            "export class AuthService {\n  private readonly TOKEN_KEY = 'id_token';\n\n"
            "  saveToken(token: string): void {\n    localStorage.setItem(this.TOKEN_KEY, token);\n  }\n}\n",
            path="auth.service.ts",
            count=1,
        ),
        Invalid(
            "import { useEffect } from 'react';\n\nexport function useAuth(jwt) {\n  useEffect(() => {\n"
            "    if (jwt) window.localStorage.setItem('jwt', jwt);\n  }, [jwt]);\n  return <Ctx value={jwt} />;\n}\n",
            path="useAuth.jsx",
            count=1,
        ),
        Invalid(
            "export const useSession = () => {\n  const save = (s: Session) =>\n"
            "    sessionStorage.setItem(\"session\", JSON.stringify(s!));\n  return { save };\n};\n",
            path="useSession.tsx",
        ),
        Invalid("const KEYS = { token: 'user-token' };\nlocalStorage.setItem(KEYS.token, t);\n", path="keys.js"),
        Invalid('localStorage.setItem("user", "Bearer abc.def");\n', path="bearer.js"),
        Invalid("sessionStorage.setItem('profile', JSON.stringify({ ...user, accessToken }));\n", path="profile.js"),
        Valid("localStorage.setItem('lastPage', JSON.stringify({ path: location.pathname, title: 'token list' }));\n", path="nav.js"),
        Valid("localStorage.setItem(`draft-${id}`, editor.getSession().getValue());\n", path="editor.js"),
        Invalid(
            '<template><p>{{ user }}</p></template>\n<script setup lang="ts">\n'
            "const save = (t: string) => localStorage.setItem('auth', t);\n</script>\n",
            path="Login.vue",
            count=1,
        ),
        Invalid("<script>\n  sessionStorage.jwt = new URLSearchParams(location.search).get('t');\n</script>\n", path="index.html"),
        Valid("<script type=\"text/template\">localStorage.setItem('token', t)</script>\n", path="page.html"),
        Valid('localStorage.setItem("theme", "dark");\n', path="theme.js"),
        Valid("localStorage.setItem('locale', navigator.language);\nsessionStorage.lang = 'de';\n", path="i18n.ts"),
        Valid('localStorage.setItem("tokenExpiry", String(exp));\n', path="expiry.js"),
        Valid('const token = localStorage.getItem("token");\n', path="read.js"),
        Valid("myStore.setItem('token', t);\ncache.token = t;\n", path="other-storage.js"),
        Valid('localStorage.setItem("author", name);\n', path="author.js"),
        Valid("// authlint: ignore[TOK001]\nlocalStorage.setItem('token', t);\n", path="suppressed.js"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for write in ctx.of(StorageWrite):
            reason = self._reason(write)
            if reason is not None:
                yield self.diagnostic(ctx, write.span, f"token written to {write.storage} {reason}: any script on the page can read it")

    @staticmethod
    def _reason(write: StorageWrite) -> str | None:
        key = write.key
        key_name = key.value if key is not None and isinstance(key.value, str) else None
        if key_name is not None:
            if token_like(key_name):
                return f'under "{key_name}"'
            if "".join(words(key_name)) in BENIGN_KEYS:
                return None
        elif key is not None and token_like(key.text.rsplit(".", 1)[-1]):
            return f"under {key.text}"
        if _value_is_token(write.value) and write.value is not None:
            return f"(the value `{_short(scrub(write.value.text))}`)"
        return None
