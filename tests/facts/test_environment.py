"""Environment values as facts (Compose, Kubernetes, dotenv) and the join that says which code they reach."""

from __future__ import annotations

import pytest

from authlint.facts.environment import Environments
from authlint.facts.model import EnvBlock
from authlint.files.classify import classify
from authlint.testing import contexts_for, make_settings


def _blocks(files: dict[str, str]) -> list[EnvBlock]:
    return [block for ctx in contexts_for(files, make_settings()) for block in ctx.facts.of(EnvBlock)]


def _environments(files: dict[str, str], read: tuple[str, ...] = ("JWT_SECRET",)) -> Environments:
    code = [path for path in files if path.endswith((".py", ".js", ".ts"))]
    return Environments(_blocks(files), code, read)


def _values(environments: Environments, relpath: str, name: str = "JWT_SECRET") -> set[str | None]:
    return {given.setting.value for given in environments.given(relpath, name)}


@pytest.mark.parametrize("name", [".env", ".env.local", ".env.production.local", "service.env", ".env.example"])
def test_dotenv_names(name: str) -> None:
    assert classify(name, None) == "dotenv"


@pytest.mark.parametrize("name", [".envrc", ".env.js", ".env.json", "env", "environment.yml"])
def test_not_dotenv_names(name: str) -> None:
    assert classify(name, None) != "dotenv"


COMPOSE = """services:
  auth:
    build: ./auth
    image: acme/auth:1.0
    environment:
      JWT_SECRET: "from-compose"
      PASS_THROUGH:
  api:
    build:
      context: ./services/api
    env_file:
      - ./shared.env
      - path: ./missing.env
        required: false
    environment:
      - JWT_SECRET=${JWT_SECRET:-dev}
      - PLAIN=a$$b
  db:
    image: postgres:16
    environment: [POSTGRES_PASSWORD=pw]
"""


def test_compose_services() -> None:
    blocks = {b.service: b for b in _blocks({"docker-compose.yml": COMPOSE})}
    auth, api, db = blocks["auth"], blocks["api"], blocks["db"]
    assert (auth.origin, auth.serves, auth.image) == ("compose", "auth", "acme/auth:1.0")
    assert [(s.name, s.value) for s in auth.settings] == [("JWT_SECRET", "from-compose"), ("PASS_THROUGH", None)]
    assert api.serves == "services/api" and api.env_files == ("shared.env", "missing.env")
    assert [(s.name, s.value) for s in api.settings] == [("JWT_SECRET", None), ("PLAIN", "a$b")]
    assert db.serves is None


def test_compose_paths_are_relative_to_the_compose_file() -> None:
    text = "services:\n  app:\n    build: ..\n    env_file: ../app.env\n    environment: {K: v}\n"
    block = _blocks({"deploy/compose.yaml": text})[0]
    assert block.serves == "" and block.env_files == ("app.env",)


def test_a_build_outside_the_project_serves_nothing() -> None:
    text = "services:\n  app:\n    build: ../../elsewhere\n    environment: {K: v}\n"
    assert _blocks({"compose.yaml": text})[0].serves is None


def test_kubernetes_containers() -> None:
    text = """apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          image: acme/api:2
          env:
            - {name: JWT_SECRET, value: "k8s"}
            - name: FROM_SECRET
              valueFrom: {secretKeyRef: {name: s, key: k}}
        - name: sidecar
          image: envoy
          env: [{name: X, value: "1"}]
"""
    blocks = _blocks({"k8s/api.yaml": text})
    assert [(b.service, b.image) for b in blocks] == [("Deployment/api:api", "acme/api:2"), ("Deployment/api:sidecar", "envoy")]
    assert [(s.name, s.value) for s in blocks[0].settings] == [("JWT_SECRET", "k8s"), ("FROM_SECRET", None)]


def test_dotenv_block() -> None:
    blocks = _blocks({"svc/.env": "JWT_SECRET=x\nOTHER=${JWT_SECRET}\n", ".env.example": "JWT_SECRET=changeme\n"})
    by_path = {b.source.relpath: b for b in blocks}
    assert by_path["svc/.env"].serves == "svc" and not by_path["svc/.env"].template
    assert [(s.name, s.value) for s in by_path["svc/.env"].settings] == [("JWT_SECRET", "x"), ("OTHER", None)]
    assert by_path[".env.example"].template


def test_build_context_maps_code_and_environment_beats_env_file() -> None:
    files = {
        "docker-compose.yml": "services:\n  auth:\n    build: ./auth\n    env_file: auth.env\n"
        "    environment: {JWT_SECRET: compose}\n  api:\n    build: ./api\n    env_file: api.env\n",
        "auth.env": "JWT_SECRET=from-file\n",
        "api.env": "JWT_SECRET=api-file\n",
        "auth/app.py": "", "api/main.py": "", "tools/cli.py": "",
    }
    environments = _environments(files)
    assert _values(environments, "auth/app.py") == {"compose"}
    assert _values(environments, "api/main.py") == {"api-file"}
    assert _values(environments, "tools/cli.py") == set()  # no deployable runs it


def test_two_services_built_from_one_folder_give_both_values() -> None:
    files = {
        "compose.yml": "services:\n  web:\n    build: .\n    environment: {JWT_SECRET: a}\n"
        "  worker:\n    build: .\n    environment: {JWT_SECRET: b}\n",
        "app.py": "",
    }
    assert _values(_environments(files), "app.py") == {"a", "b"}


def test_a_dotenv_file_serves_its_folder_and_yields_to_the_deployable() -> None:
    files = {
        ".env": "JWT_SECRET=root\n",
        "api/.env": "JWT_SECRET=api\n",
        "api/.env.example": "JWT_SECRET=changeme\n",
        "compose.yml": "services:\n  auth:\n    build: ./auth\n    environment: {JWT_SECRET: compose}\n",
        "api/server.js": "", "auth/app.py": "", "lib/util.py": "",
    }
    environments = _environments(files)
    assert _values(environments, "api/server.js") == {"api"}  # the nearest dotenv file
    assert _values(environments, "lib/util.py") == {"root"}
    assert _values(environments, "auth/app.py") == {"compose"}  # the process environment wins


def test_kubernetes_image_matched_to_a_compose_build_or_a_folder() -> None:
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: x}}\nspec:\n  template:\n    spec:\n"
                  "      containers:\n        - name: x\n          image: {image}\n          env:\n"
                  "            - {{name: JWT_SECRET, value: k8s}}\n")
    code = {"services/billing/app.py": "", "services/auth/app.py": "", "web/auth/index.js": ""}
    compose = {"compose.yml": "services:\n  b:\n    build: ./services/billing\n    image: reg.io/acme/billing-svc\n"
               "    environment: {OTHER: 1}\n"}
    by_compose = _environments({**code, **compose, "k.yaml": deployment.format(image="reg.io/acme/billing-svc:3")})
    assert _values(by_compose, "services/billing/app.py") == {"k8s"}
    assert _values(by_compose, "services/auth/app.py") == set()
    # two `auth` folders: not mapped (and not the project's single deployable: billing's sets it too)
    billing = {"compose.yml": compose["compose.yml"].replace("{OTHER: 1}", "{JWT_SECRET: billing}")}
    ambiguous = _environments({**code, **billing, "k.yaml": deployment.format(image="acme/auth:1")})
    assert _values(ambiguous, "services/auth/app.py") == set()
    assert _values(ambiguous, "services/billing/app.py") == {"billing"}


def test_a_single_unmapped_deployable_runs_all_the_code() -> None:
    files = {
        "compose.yml": "services:\n  app:\n    image: acme/app\n    environment: {JWT_SECRET: only}\n"
        "  db:\n    image: postgres\n    environment: {POSTGRES_PASSWORD: pw}\n",
        "src/app.py": "",
    }
    assert _values(_environments(files), "src/app.py") == {"only"}
    two = dict(files, **{"compose.yml": files["compose.yml"] + "  other:\n    image: acme/other\n"
                         "    environment: {JWT_SECRET: second}\n"})
    assert _values(_environments(two), "src/app.py") == set()  # which one runs it cannot be told


def test_a_helm_template_is_no_parse_error() -> None:
    """A chart template is YAML only once rendered: it gives no facts, and no E001 either."""
    from authlint.testing import lint_files

    text = ("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
            "        - name: app\n          env:\n            - name: JWT_SECRET\n"
            "              value: {{ .Values.jwtSecret | quote }}\n{{- if .Values.extra }}\n            - name: X\n{{- end }}\n")
    result = lint_files({"chart/templates/deployment.yaml": text, "app.py": "import os, jwt\n"
                         "t = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"})
    assert [d.code for d in result.diagnostics if d.path.endswith(".yaml")] == []
