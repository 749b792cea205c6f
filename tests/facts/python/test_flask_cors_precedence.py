"""Flask-CORS policies read the way Flask-CORS merges its options: the resource's dict, then the
``init_app`` keywords, then the ``CORS()`` keywords, then ``app.config["CORS_*"]``, then defaults."""

from __future__ import annotations

from authlint.facts.model import CorsPolicy
from tests.facts.helpers import facts_of


def _text(code: str, policy: CorsPolicy) -> str:
    expr = policy.allowed.expr
    return code[expr.span.start : expr.span.end] if expr is not None else ""


def test_resource_origins_beat_keywords_and_config() -> None:
    code = (
        "from flask_cors import CORS\n"
        "app.config['CORS_ORIGINS'] = ['https://admin.example']\n"
        "cors = CORS(origins=['https://ctor.example'])\n"
        "cors.init_app(app, resources={r'/api/*': {'origins': '*'}, r'/admin/*': {}, r'/v2/*': {'origins': 'https://v2.example'}},\n"
        "              supports_credentials=True)\n"
    )
    api, admin, v2 = facts_of(code, CorsPolicy)
    assert (api.framework, _text(code, api), api.allowed.kind) == ("flask-cors-resource", "'*'", "any")
    assert _text(code, admin) == "['https://ctor.example']"  # the CORS() keyword beats the config
    assert _text(code, v2) == "'https://v2.example'"
    assert api.allows_credentials is admin.allows_credentials is True  # from init_app, for every resource
    assert not api.allowed.decided_elsewhere


def test_init_app_keywords_beat_the_constructor() -> None:
    code = ("from flask_cors import CORS\ncors = CORS(origins='*')\n"
            "def create_app():\n    cors.init_app(app, origins=['https://a.example'])\n")
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.allowed.kind == "list" and policy.allowed.values == ["https://a.example"]


def test_config_decides_when_no_keyword_does() -> None:
    for config in (
        "app.config['CORS_ORIGINS'] = '*'\napp.config['CORS_SUPPORTS_CREDENTIALS'] = True\n",
        "app.config.update(CORS_ORIGINS='*', CORS_SUPPORTS_CREDENTIALS=True)\n",
        "app.config.update({'CORS_ORIGINS': '*', 'CORS_SUPPORTS_CREDENTIALS': True})\n",
        "app.config.from_mapping(CORS_ORIGINS='*', CORS_SUPPORTS_CREDENTIALS=True)\n",
    ):
        code = "from flask_cors import CORS\n" + config + "CORS(app)\n"
        (policy,) = facts_of(code, CorsPolicy)
        assert policy.allowed.kind == "any" and _text(code, policy) == "'*'", config
        assert policy.allows_credentials is True, config


def test_config_read_from_elsewhere_leaves_the_origins_undecided() -> None:
    code = "from flask_cors import CORS\napp.config.from_object('config.Production')\nCORS(app)\n"
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.allowed.kind == "any" and policy.allowed.default
    assert policy.allowed.decided_elsewhere  # a fix may show the edit, never apply it


def test_deferred_constructor_and_imported_instance() -> None:
    assert facts_of("from flask_cors import CORS\ncors = CORS()\n", CorsPolicy) == []  # init_app decides
    (written,) = facts_of("from flask_cors import CORS\ncors = CORS(origins='*')\n", CorsPolicy)
    assert written.allowed.kind == "any" and not written.allowed.decided_elsewhere
    code = ("from .extensions import cors\n"
            "def create_app():\n    cors.init_app(app, resources={r'/api/*': {'origins': '*'}})\n")
    (resource,) = facts_of(code, CorsPolicy)
    assert resource.framework == "flask-cors-resource" and _text(code, resource) == "'*'"
    (plain,) = facts_of("from .extensions import cors\ncors.init_app(app)\n", CorsPolicy)
    assert plain.allowed.default and plain.allowed.decided_elsewhere  # CORS() elsewhere may set origins


def test_cross_origin_reads_the_app_config() -> None:
    code = ("from flask_cors import cross_origin\napp.config['CORS_ORIGINS'] = ['https://a.example']\n"
            "@cross_origin(supports_credentials=True)\ndef view():\n    pass\n")
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.allowed.kind == "list" and policy.allows_credentials is True


def test_config_written_after_init_is_not_read() -> None:
    """``init_app`` copies ``app.config`` when it runs: a ``CORS_ORIGINS`` written later changes nothing."""
    code = "from flask_cors import CORS\nCORS(app)\napp.config['CORS_ORIGINS'] = ['https://a.example']\n"
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.allowed.kind == "any" and policy.allowed.default
