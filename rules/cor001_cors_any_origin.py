from __future__ import annotations

from typing import Iterable

from authlint.diagnostic import Diagnostic, FixAvailability
from authlint.facts import CorsPolicy
from authlint.rule import CODE_KINDS, Invalid, Rule, Valid
from authlint.rules._cors import allows_any, credentials_on, origins_fix


class CorsAnyOrigin(Rule):
    """
    ## What it does
    Finds CORS policies that allow every origin: Flask-CORS `CORS(app)` / `@cross_origin()` without
    `origins` (its default is `*`), `origins="*"`, Starlette/FastAPI `allow_origins=["*"]`, Django
    `CORS_ALLOW_ALL_ORIGINS = True`, a hand-set `Access-Control-Allow-Origin: *`, express `cors()`.
    Policies that also allow credentials are reported by COR002 instead.

    ## Why is this bad?
    Any website can read your API's responses from a visitor's browser. For a public, read-only API
    that is intended; for anything behind a login or on an intranet it leaks data across sites.

    ## Example
    ```python
    CORS(app)
    ```
    Use instead:
    ```python
    CORS(app, origins=["https://app.example.com"])
    ```

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the wildcard becomes that list, which
    refuses origins that used to work. Otherwise the suggestion is display-only.
    """

    code = "COR001"
    name = "cors-any-origin"
    summary = "CORS allows any origin"
    kinds = CODE_KINDS
    triggers = ("cors", "access-control-allow-origin")
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python"
    examples = (
        Valid("from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'])\n"),
        Valid("from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(CORSMiddleware, allow_origins=['https://a.example'])\n"),
        Valid("CORS_ALLOWED_ORIGINS = ['https://app.example.com']\nCORS_ALLOW_ALL_ORIGINS = False\n", path="settings.py"),
        Valid("import os\nfrom flask_cors import CORS\nCORS(app, origins=os.environ['ORIGINS'].split(','))\n"),
        Invalid(
            "from flask_cors import CORS\nCORS(app)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='from flask_cors import CORS\nCORS(app, origins=["https://app.example.com"])\n',
            message="any origin",
        ),
        Invalid(
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_methods=['*'])\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from fastapi.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'], allow_methods=['*'])\n",
        ),
        Invalid(
            "INSTALLED_APPS = ['corsheaders']\nCORS_ALLOW_ALL_ORIGINS = True\n",
            path="settings.py",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="INSTALLED_APPS = ['corsheaders']\nCORS_ALLOWED_ORIGINS = ['https://app.example.com']\n",
        ),
        Invalid(
            "from flask_cors import cross_origin\n@cross_origin(origins='*')\ndef view():\n    return 'x'\n",
            fixed="from flask_cors import cross_origin\n@cross_origin(origins='*')\ndef view():\n    return 'x'\n",
        ),
        Invalid(
            "def add_headers(response):\n    response.headers['Access-Control-Allow-Origin'] = '*'\n    return response\n",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for policy in ctx.of(CorsPolicy):
            if not allows_any(policy) or credentials_on(policy):
                continue
            span = policy.origins.span if policy.origins is not None else policy.span
            yield self.diagnostic(
                ctx, span,
                f"CORS allows any origin ({policy.framework}): every website can read these responses from "
                "your users' browsers",
                origins_fix(ctx, policy),
            )
