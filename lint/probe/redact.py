"""Credentials given to a probe never reach its output.

Every text a probe prints (text or JSON, errors included) passes through ``Redactor.text``: each
secret given on the command line (token, password, auth values, a creds file's JWT and seed, an
nkey seed) is masked wherever it appears, also percent-encoded (as it sits in a URL's query or
userinfo) and JSON-escaped (as it sits in a JSON string), and the pattern set masks secrets the
server itself may echo (a JWT in an error).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, urlsplit


@dataclass
class Redactor:
    secrets: list[str] = field(default_factory=list)

    def add(self, *values: str | None) -> None:
        for value in values:
            if value and value not in self.secrets:
                self.secrets.append(value)

    def _forms(self) -> list[str]:
        forms: list[str] = []
        for value in self.secrets:
            json_forms = (json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1])  # inside a JSON string
            for form in (value, quote(value, safe=""), quote_plus(value), *json_forms):
                if form not in forms:
                    forms.append(form)
        return sorted(forms, key=len, reverse=True)  # the longest first: a secret holding another

    def text(self, text: str) -> str:
        from authlint.diagnostics.mask import mask_new_text

        return mask_new_text(text, self._forms())

    def add_url(self, url: str) -> None:
        """The credentials a URL carries: its password (``nats://user:pass@host``), or for NATS a
        bare user part, which is a token (``nats://TOKEN@host``)."""
        parts = urlsplit(url)
        if parts.password:
            self.add(parts.password)
        elif parts.username and parts.scheme in ("nats", "tls"):
            self.add(parts.username)
