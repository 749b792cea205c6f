"""COR001/COR002/COR003 fixes of Starlette/FastAPI ``CORSMiddleware`` and django-cors-headers,
executed: Starlette's TestClient (httpx) and Django's test Client against the fixed project."""

from __future__ import annotations

from tests.behaviour.cors.test_flask_cors import ALLOWED, EVIL, fixed_twice_changes_nothing
from tests.behaviour.project import fixed

STARLETTE_PROBE = """
import json
from starlette.testclient import TestClient
from main import app
client = TestClient(app)
seen = {{}}
for origin in {origins!r}:
    pre = client.options("/me", headers={{"Origin": origin, "Access-Control-Request-Method": "GET"}})
    got = client.get("/me", headers={{"Origin": origin}}, cookies={{"session": "s"}})
    seen[origin] = {{
        "preflight": pre.headers.get("access-control-allow-origin"),
        "actual": got.headers.get("access-control-allow-origin"),
        "credentials": got.headers.get("access-control-allow-credentials"),
    }}
print(json.dumps(seen))
"""

STARLETTE_APP = '''from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route


async def me(request):
    return JSONResponse({"user": "alice"})


app = Starlette(routes=[Route("/me", me)])
app.add_middleware(
    CORSMiddleware,
    allow_origins=[
        "*",  # any front end, for the demo
    ],
    allow_credentials=True,
    allow_methods=["*"],
)
'''


def test_starlette_wildcard_with_credentials(python_project) -> None:
    files = {"main.py": STARLETTE_APP}
    script = STARLETTE_PROBE.format(origins=[ALLOWED[0], EVIL])
    before = python_project(files).run(script)
    assert before[EVIL]["actual"] == EVIL and before[EVIL]["credentials"] == "true"  # echoed, with cookies
    assert before[EVIL]["preflight"] == EVIL

    after_files = fixed(files, "COR002", **{"allowed-origins": ALLOWED})
    assert 'allow_origins=[\n        "https://app.example.com",  # any front end, for the demo\n    ],' in after_files["main.py"]
    after = python_project(after_files).run(script)
    assert after[ALLOWED[0]] == {"preflight": ALLOWED[0], "actual": ALLOWED[0], "credentials": "true"}
    assert after[EVIL]["preflight"] is None and after[EVIL]["actual"] is None
    assert fixed_twice_changes_nothing(after_files)


STARLETTE_REGEX = STARLETTE_APP.replace(
    '''    allow_origins=[
        "*",  # any front end, for the demo
    ],
    allow_credentials=True,''',
    '''    allow_origin_regex="https://.*.example.com",  # tenants
    allow_credentials=True,''',
)


def test_starlette_regex_dots_escaped(python_project) -> None:
    files = {"main.py": STARLETTE_REGEX}
    lookalike = "https://evil-example.com"
    script = STARLETTE_PROBE.format(origins=[ALLOWED[0], lookalike])
    before = python_project(files).run(script)
    assert before[lookalike]["actual"] == lookalike  # the unescaped dot matches "-"

    after_files = fixed(files, "COR003")
    assert 'allow_origin_regex="https://.*\\\\.example\\\\.com",  # tenants' in after_files["main.py"]
    after = python_project(after_files).run(script)
    assert after[lookalike]["actual"] is None and after[lookalike]["preflight"] is None
    assert after[ALLOWED[0]]["actual"] == ALLOWED[0] and after[ALLOWED[0]]["credentials"] == "true"


DJANGO_PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
import django
django.setup()
from django.test import Client
client = Client()
seen = {{}}
for origin in {origins!r}:
    pre = client.options("/me", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    got = client.get("/me", HTTP_ORIGIN=origin)
    seen[origin] = {{
        "preflight": pre.headers.get("Access-Control-Allow-Origin"),
        "actual": got.headers.get("Access-Control-Allow-Origin"),
        "credentials": got.headers.get("Access-Control-Allow-Credentials"),
    }}
print(json.dumps(seen))
"""

URLS = '''from django.http import JsonResponse
from django.urls import path


def me(request):
    return JsonResponse({"user": "alice"})


urlpatterns = [path("me", me)]
'''

DJANGO_SETTINGS = '''SECRET_KEY = "test-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = [
    "corsheaders",
]
MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]

# CORS
CORS_ALLOW_ALL_ORIGINS = True  # opened while the new front end moves
CORS_ALLOW_CREDENTIALS = True
'''


def test_django_allow_all_with_credentials(python_project) -> None:
    files = {"settings.py": DJANGO_SETTINGS, "urls.py": URLS}
    script = DJANGO_PROBE.format(origins=[ALLOWED[0], EVIL])
    before = python_project(files).run(script)
    assert before[EVIL]["actual"] == EVIL and before[EVIL]["credentials"] == "true"

    after_files = fixed(files, "COR002", **{"allowed-origins": ALLOWED})
    settings = after_files["settings.py"]
    assert 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]  # opened while the new front end moves\n' in settings
    after = python_project(after_files).run(script)
    assert after[ALLOWED[0]] == {"preflight": ALLOWED[0], "actual": ALLOWED[0], "credentials": "true"}
    assert after[EVIL]["preflight"] is None and after[EVIL]["actual"] is None
    assert fixed_twice_changes_nothing(after_files)


DJANGO_REGEX = DJANGO_SETTINGS.replace(
    '''CORS_ALLOW_ALL_ORIGINS = True  # opened while the new front end moves
CORS_ALLOW_CREDENTIALS = True
''',
    '''CORS_ALLOWED_ORIGIN_REGEXES = [
    r"^https://\\w+\\.example\\.com",  # tenants
    "http://localhost:3000",
]
CORS_ALLOW_CREDENTIALS = True
''',
)


def test_django_regex_anchored_at_the_end(python_project) -> None:
    files = {"settings.py": DJANGO_REGEX, "urls.py": URLS}
    suffixed = "https://example.com.evil.io"
    tenant_suffixed = "https://app.example.com.evil.io"
    script = DJANGO_PROBE.format(origins=[ALLOWED[0], tenant_suffixed, suffixed])
    before = python_project(files).run(script)
    assert before[tenant_suffixed]["actual"] == tenant_suffixed  # re.match: anchored at the start only

    after_files = fixed(files, "COR003")
    assert 'r"^https://\\w+\\.example\\.com$",  # tenants\n' in after_files["settings.py"]
    after = python_project(after_files).run(script)
    assert after[tenant_suffixed]["actual"] is None and after[tenant_suffixed]["preflight"] is None
    assert after[suffixed]["actual"] is None
    assert after[ALLOWED[0]] == {"preflight": ALLOWED[0], "actual": ALLOWED[0], "credentials": "true"}
