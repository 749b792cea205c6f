"""express cors, hand-set CORS headers, cookies and web storage writes."""

from __future__ import annotations

import pytest

from authlint.facts.model import CookieSet, CorsPolicy, StorageWrite
from tests.facts.jsfacts import facts_of, one, text


@pytest.mark.parametrize(
    "code, origins, credentials",
    [
        ('const cors = require("cors");\napp.use(cors());\n', None, None),
        ('import cors from "cors";\napp.use(cors({ origin: "*", credentials: true }));\n', "*", True),
        ('import cors from "cors";\napp.use(cors({ origin: true, credentials: true }));\n', True, True),
        ('import cors from "cors";\napp.use(cors({ origin: ["https://a.example", "https://b.example"] }));\n', ["https://a.example", "https://b.example"], None),
        ('import cors from "cors";\nconst corsOptions = { origin: "https://a.example", credentials: false };\napp.options("*", cors(corsOptions));\n', "https://a.example", False),
    ],
)
def test_express_cors_forms(code: str, origins: object, credentials: object) -> None:
    policy = one("app.js", code, CorsPolicy)
    assert policy.framework == "express-cors"
    assert text(policy, policy.span).startswith("cors(")
    if origins is None:
        assert policy.origins is None
    else:
        assert policy.origins is not None and policy.origins.value == origins
    if credentials is None:
        assert policy.credentials is None
    else:
        assert policy.credentials is not None and policy.credentials.value is credentials


def test_express_cors_without_options_can_gain_them() -> None:
    policy = one("app.js", 'const cors = require("cors");\napp.use(cors());\n', CorsPolicy)
    code = policy.source.text
    bag = policy.options
    assert bag.insert_at is not None
    edited = code[: bag.insert_at] + bag.insert_prefix + 'origin: ["https://a.example"]' + bag.insert_suffix + code[bag.insert_at :]
    assert 'app.use(cors({ origin: ["https://a.example"] }));' in edited


def test_express_cors_regex_and_delegate() -> None:
    regex = one("app.ts", 'import cors = require("cors");\napp.use(cors({ origin: /example\\.com/ }));\n', CorsPolicy)
    assert regex.origins is not None and regex.origins.is_regex and regex.origins.value == "example\\.com"
    delegate = one("app.js", 'const cors = require("cors");\napp.use(cors(corsOptionsDelegate));\n', CorsPolicy)
    assert delegate.origins is not None and not delegate.origins.known and delegate.options.spread
    fn = one("app.js", 'const cors = require("cors");\napp.use(cors({ origin: (o, cb) => cb(null, true) }));\n', CorsPolicy)
    assert fn.origins is not None and fn.origins.ref == "function"


def test_nestjs_enable_cors() -> None:
    policy = one("main.ts", "const app = await NestFactory.create(AppModule);\napp.enableCors({ origin: '*', credentials: true });\n", CorsPolicy)
    assert policy.origins is not None and policy.origins.value == "*"
    assert policy.credentials is not None and policy.credentials.value is True


HEADERS = """\
app.use((req, res, next) => {
  res.header("Access-Control-Allow-Origin", req.headers.origin);
  res.header("Access-Control-Allow-Credentials", "true");
  res.setHeader("X-Frame-Options", "DENY");
  next();
});
app.get("/public", (req, res) => {
  res.set({ "Access-Control-Allow-Origin": "*" });
  res.writeHead(200, { "access-control-allow-credentials": true });
});
"""


def test_hand_set_headers_form_one_policy_per_function() -> None:
    reflect, star = facts_of("server.js", HEADERS, CorsPolicy)
    assert reflect.framework == star.framework == "header"
    assert reflect.origins is not None and reflect.origins.ref == "request:origin"
    assert text(reflect, reflect.origins.span) == "req.headers.origin"
    assert reflect.credentials is not None and reflect.credentials.value == "true"
    assert text(reflect, reflect.span).startswith('res.header("Access-Control-Allow-Origin"')
    assert star.origins is not None and star.origins.value == "*"
    assert star.credentials is not None and star.credentials.value is True


def test_express_cookie_options_and_insertion() -> None:
    code = "res.cookie('token', jwt, { httpOnly: true, maxAge: 3600000 });\nres.cookie(\"session\", sid);\n"
    first, second = facts_of("auth.js", code, CookieSet)
    assert first.framework == "express"
    assert first.name is not None and first.name.value == "token"
    assert first.options.value("httpOnly") is True and "secure" not in first.options
    assert second.options.items == {}
    edited = code[: second.options.insert_at] + second.options.insert_prefix + "httpOnly: true" + second.options.insert_suffix + code[second.options.insert_at :]
    assert 'res.cookie("session", sid, { httpOnly: true });' in edited


def test_document_cookie_attributes() -> None:
    code = 'document.cookie = "token=" + token + "; path=/; SameSite=Lax; Secure";\n'
    cookie = one("app.js", code, CookieSet)
    assert cookie.framework == "document.cookie"
    assert cookie.name is not None and cookie.name.value == "token" and text(cookie, cookie.name.span) == "token"
    assert cookie.options.value("sameSite") == "Lax" and cookie.options.value("secure") is True
    assert "httpOnly" not in cookie.options
    template = one("app.ts", "document.cookie = `jwt=${t}; max-age=3600`;\n", CookieSet)
    assert template.name is not None and template.name.value == "jwt"
    assert template.options.value("maxAge") == "3600"


def test_document_and_client_cookie_libraries_are_not_express() -> None:
    assert facts_of("a.js", "Cookies.set('token', t);\ndocument.cookie;\n", CookieSet) == []


@pytest.mark.parametrize(
    "code, storage, key",
    [
        ('localStorage.setItem("token", t);\n', "localStorage", "token"),
        ("window.sessionStorage.setItem('jwt', t);\n", "sessionStorage", "jwt"),
        ('globalThis.localStorage.setItem("a", t);\n', "localStorage", "a"),
        ("localStorage.token = t;\n", "localStorage", "token"),
        ('localStorage["access_token"] = t;\n', "localStorage", "access_token"),
        ('window["localStorage"].setItem("k", t);\n', "localStorage", "k"),
        ('const store = window.localStorage;\nstore.setItem("k", t);\n', "localStorage", "k"),
        ('const KEY = "id_token";\nsessionStorage.setItem(KEY, t);\n', "sessionStorage", "id_token"),
        ('const KEYS = { jwt: "app.jwt" } as const;\nlocalStorage.setItem(KEYS.jwt, t!);\n', "localStorage", "app.jwt"),
    ],
)
def test_storage_write_forms(code: str, storage: str, key: str) -> None:
    write = one("store.ts", code, StorageWrite)
    assert write.storage == storage
    assert write.key is not None and write.key.value == key
    assert write.value is not None and write.value.text in ("t", "t!")


def test_storage_key_constant_keeps_its_origin_span() -> None:
    code = 'const TOKEN_KEY = "token";\nlocalStorage.setItem(TOKEN_KEY, t);\n'
    write = one("a.js", code, StorageWrite)
    assert write.key is not None and text(write, write.key.span) == "TOKEN_KEY"
    assert write.key.origin is not None and text(write, write.key.origin) == '"token"'


ANGULAR = """\
import { Injectable } from '@angular/core';
import { HttpClient } from '@angular/common/http';

@Injectable({ providedIn: 'root' })
export class AuthService {
  private static readonly REFRESH = 'refresh_token';
  private readonly TOKEN_KEY = 'access_token';

  constructor(private http: HttpClient) {}

  login(credentials: { email: string; password: string }) {
    return this.http.post<{ token: string }>('/api/login', credentials).subscribe((res) => {
      localStorage.setItem(this.TOKEN_KEY, res.token);
      sessionStorage.setItem(AuthService.REFRESH, (res as any).refresh!);
    });
  }
}
"""


def test_angular_service_class_fields_resolve() -> None:
    access, refresh = facts_of("auth.service.ts", ANGULAR, StorageWrite)
    assert access.key is not None and access.key.value == "access_token"
    assert access.value is not None and access.value.text == "res.token"
    assert access.source.position(access.span.start) == (13, 7)
    assert refresh.key is not None and refresh.key.value == "refresh_token"


VUE = """\
export default {
  methods: {
    async login() {
      const { data } = await axios.post('/login', this.form);
      localStorage.setItem('user-token', data.token);
      localStorage.theme = this.theme;
    },
  },
};
"""


def test_vue_component_storage_writes() -> None:
    token, theme = facts_of("Login.vue.js", VUE, StorageWrite)
    assert token.key is not None and token.key.value == "user-token"
    assert theme.key is not None and theme.key.value == "theme" and text(theme, theme.key.span) == "theme"


def test_reads_and_other_objects_are_not_writes() -> None:
    code = 'const t = localStorage.getItem("token");\nmap.setItem("token", t);\nthis.localStorage.setItem("x", 1);\nx = localStorage.length;\n'
    assert facts_of("a.js", code, StorageWrite) == []


@pytest.mark.parametrize(
    "code, framework, origins",
    [
        ('fastify.register(require("@fastify/cors"), { origin: true, credentials: true });\n', "fastify-cors", True),
        ('import cors from "@fastify/cors";\nawait app.register(cors);\n', "fastify-cors", None),
        ('import cors from "@koa/cors";\napp.use(cors({ credentials: true }));\n', "koa-cors", None),
    ],
)
def test_fastify_and_koa_cors(code: str, framework: str, origins: object) -> None:
    policy = one("server.mjs", code, CorsPolicy)
    assert policy.framework == framework
    assert (policy.origins.value if policy.origins is not None else None) == origins
    assert policy.options.insert_at is not None


def test_typescript_enum_keys_resolve() -> None:
    code = 'export enum StorageKeys {\n  AccessToken = "access_token",\n  Theme = "theme",\n}\nlocalStorage.setItem(StorageKeys.AccessToken, t);\n'
    write = one("keys.ts", code, StorageWrite)
    assert write.key is not None and write.key.value == "access_token"
    assert text(write, write.key.origin) == '"access_token"'


def test_document_cookie_with_a_dynamic_name() -> None:
    cookie = one("a.js", "document.cookie = `${name}=${value}; Secure`;\n", CookieSet)
    assert cookie.name is None and cookie.options.value("secure") is True


def test_a_star_inside_an_origin_array_is_compared_exactly() -> None:
    """The cors package's ``isOriginAllowed`` compares array entries with ``===``: ``"*"`` there is no wildcard."""
    listed = one("app.js", 'import cors from "cors";\napp.use(cors({ origin: ["https://a.example", "*"] }));\n', CorsPolicy)
    assert listed.allowed.kind == "list"
    alone = one("app.js", 'import cors from "cors";\napp.use(cors({ origin: "*" }));\n', CorsPolicy)
    assert alone.allowed.kind == "any"
