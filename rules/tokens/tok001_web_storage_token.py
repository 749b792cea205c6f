"""Rules on where browsers and servers keep tokens: web storage and cookies (TOK0xx)."""
from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.diagnostics.mask import Quoted, quote
from authlint.facts.knowledge.token_names import STORAGE_VALUE_WORDS, benign_storage_key, names_credential
from authlint.facts.model import Expr, StorageWrite
from authlint.facts.secrets.patterns import JWT as JWT_RE
from authlint.files.kinds import JS_KINDS
from authlint.rule import Invalid, Rule, Valid, Violation

STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"' + r"|`[^`$]*`")
IDENTIFIER_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


class TokenInWebStorage(Violation):
    storage: str  # localStorage | sessionStorage
    under: str = ""  # the key that names a credential: '"token"' (a literal) or `KEYS.token` (code)
    value: Quoted | str = ""  # else the value that is one, as code (shortened, its secret spans masked)

    def message(self) -> str:
        where = f"under {self.under}" if self.under else f"(the value `{self.value}`)"
        return f"token written to {self.storage} {where}: any script on the page can read it"


def _value_is_token(value: Expr | None) -> bool:
    """A JWT / ``Bearer`` literal, or code naming a token (``res.data.accessToken``, ``getToken()``)."""
    if value is None:
        return False
    if isinstance(value.value, str):
        return bool(JWT_RE.search(value.value)) or value.value.lower().startswith("bearer ")
    code = STRING_RE.sub("", value.text)  # names in the code, not words inside string literals
    return any(names_credential(name, STORAGE_VALUE_WORDS) for name in IDENTIFIER_RE.findall(code))


def _clears(value: Expr | None) -> bool:
    """A literal falsy value (``''``, ``null``, ``undefined``, ``false``, ``0``) written on logout
    clears the slot: nothing a script could replay is stored (issue #17, labelled set)."""
    if value is None or isinstance(value.value, (list, dict)):
        return False
    return value.value is None or (isinstance(value.value, (str, bool, int, float)) and not value.value)


def _short(code: Quoted, limit: int = 40) -> Quoted:
    flat = " ".join(code.split())
    shown = Quoted(flat if len(flat) <= limit else flat[: limit - 1] + "…")
    shown.masks = code.masks
    return shown


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
    Writing a literal falsy value (`''`, `null`, `undefined`, `false`) clears the slot on logout:
    nothing is stored, so nothing is reported (nor is `removeItem`).

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

    ## References
    - OWASP HTML5 Security Cheat Sheet, Local Storage: https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html#local-storage
    - OWASP JSON Web Token Cheat Sheet, token storage on the client side: https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html#token-storage-on-client-side
    - MDN, Web Storage API: https://developer.mozilla.org/en-US/docs/Web/API/Web_Storage_API
    """

    code = "TOK001"
    name = "web-storage-token"
    summary = "token-like value written to localStorage or sessionStorage"
    kinds = JS_KINDS
    triggers = ("localstorage", "sessionstorage")
    severity = Severity.WARNING
    languages = "JS/TS"
    examples = (
        Invalid('localStorage.setItem("token", data.token);\n', path="login.js", count=1, message="localStorage", span=(1, 1, 1, 42)),
        Invalid("window.sessionStorage.setItem('jwt', jwt);\n", path="app.js", message="sessionStorage", span=(1, 1, 1, 42)),
        Invalid("localStorage.token = res.token;\n", path="app.js", span=(1, 1, 1, 31)),
        Invalid('localStorage["access_token"] = t;\n', path="app.mjs", span=(1, 1, 1, 33)),
        Invalid('globalThis.localStorage["refreshToken"] = refresh;\n', path="app.ts", span=(1, 1, 1, 50)),
        Invalid('const TOKEN_KEY = "auth_token";\nlocalStorage.setItem(TOKEN_KEY, value);\n', path="storage.js", span=(2, 1, 2, 39)),
        Invalid("localStorage.setItem(key, response.data.accessToken);\n", path="api.js", span=(1, 1, 1, 53)),
        Invalid(
            "import { Injectable } from '@angular/core';\n\n@Injectable({ providedIn: 'root' })\n"
            "export class AuthService {\n  private readonly TOKEN_KEY = 'id_token';\n\n"
            "  saveToken(token: string): void {\n    localStorage.setItem(this.TOKEN_KEY, token);\n  }\n}\n",
            path="auth.service.ts",
            count=1,
            span=(8, 5, 8, 48),
        ),
        Invalid(
            "import { useEffect } from 'react';\n\nexport function useAuth(jwt) {\n  useEffect(() => {\n"
            "    if (jwt) window.localStorage.setItem('jwt', jwt);\n  }, [jwt]);\n  return <Ctx value={jwt} />;\n}\n",
            path="useAuth.jsx",
            count=1,
            span=(5, 14, 5, 53),
        ),
        Invalid(
            "export const useSession = () => {\n  const save = (s: Session) =>\n"
            "    sessionStorage.setItem(\"session\", JSON.stringify(s!));\n  return { save };\n};\n",
            path="useSession.tsx",
            span=(3, 5, 3, 58),
        ),
        Invalid("const KEYS = { token: 'user-token' };\nlocalStorage.setItem(KEYS.token, t);\n", path="keys.js", span=(2, 1, 2, 36)),
        Invalid('localStorage.setItem("user", "Bearer abc.def");\n', path="bearer.js", span=(1, 1, 1, 47)),
        Invalid("sessionStorage.setItem('profile', JSON.stringify({ ...user, accessToken }));\n", path="profile.js", span=(1, 1, 1, 76)),
        Valid("localStorage.setItem('lastPage', JSON.stringify({ path: location.pathname, title: 'token list' }));\n", path="nav.js"),
        Valid("localStorage.setItem(`draft-${id}`, editor.getSession().getValue());\n", path="editor.js"),
        Invalid(
            '<template><p>{{ user }}</p></template>\n<script setup lang="ts">\n'
            "const save = (t: string) => localStorage.setItem('auth', t);\n</script>\n",
            path="Login.vue",
            count=1,
            span=(3, 29, 3, 60),
        ),
        Invalid("<script>\n  sessionStorage.jwt = new URLSearchParams(location.search).get('t');\n</script>\n", path="index.html", span=(2, 3, 2, 69)),
        Valid("<script type=\"text/template\">localStorage.setItem('token', t)</script>\n", path="page.html"),
        Valid('localStorage.setItem("theme", "dark");\n', path="theme.js"),
        Invalid(
            "export function onAuth(action) {\n  if (action.type === LOGIN) {\n"
            "    window.localStorage.setItem('jwt', action.payload.user.token);\n  }\n}\n",
            path="middleware.js",
            count=1,
            span=(3, 5, 3, 66),
        ),
        Valid(
            "export function onAuth(action) {\n  if (action.type === LOGOUT) {\n"
            "    window.localStorage.setItem('jwt', '');\n    sessionStorage.token = null;\n"
            "    localStorage.removeItem('refreshToken');\n  }\n}\n",
            path="middleware.js",
        ),
        Valid("const logout = (): void => {\n  localStorage.setItem('access_token', ``);\n  localStorage['jwt'] = undefined;\n};\n", path="logout.ts"),
        Valid("localStorage.setItem('locale', navigator.language);\nsessionStorage.lang = 'de';\n", path="i18n.ts"),
        Valid('localStorage.setItem("tokenExpiry", String(exp));\n', path="expiry.js"),
        Valid('const token = localStorage.getItem("token");\n', path="read.js"),
        Valid("myStore.setItem('token', t);\ncache.token = t;\n", path="other-storage.js"),
        Valid('localStorage.setItem("author", name);\n', path="author.js"),
        Valid("// authlint: ignore[TOK001]\nlocalStorage.setItem('token', t);\n", path="suppressed.js"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for write in ctx.of(StorageWrite):
            violation = self._violation(ctx, write)
            if violation is not None:
                yield self.report(ctx, write.span, violation)

    @staticmethod
    def _violation(ctx, write: StorageWrite) -> TokenInWebStorage | None:
        if _clears(write.value):
            return None
        key = write.key
        key_name = key.value if key is not None and isinstance(key.value, str) else None
        if key_name is not None:
            if names_credential(key_name):
                return TokenInWebStorage(write.storage, under=f'"{key_name}"')
            if benign_storage_key(key_name):
                return None
        elif key is not None and names_credential(key.text.rsplit(".", 1)[-1]):
            return TokenInWebStorage(write.storage, under=key.text)
        if _value_is_token(write.value) and write.value is not None:
            return TokenInWebStorage(write.storage, value=_short(quote(ctx, write.value.span)))
        return None
