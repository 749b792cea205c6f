"""File kinds: the names classify gives a file and parsers, extractors and rules select on.

Kept in one small module of its own so the earliest stage (classify) and the latest (rules, reports)
share the vocabulary without depending on each other.
"""

from __future__ import annotations

NATSCONF = "natsconf"
PYTHON = "python"
JAVASCRIPT = "javascript"
TYPESCRIPT = "typescript"
YAML = "yaml"
JWTFILE = "jwt"
CREDS = "creds"
NGINX = "nginx"  # `nginx.conf`, `*.nginx`, `sites-available/*`, `conf.d/*.conf`, templates: the proxy in front
HOCON = "hocon"  # `*.hocon`; `application.conf` and other `.conf` holding Play / akka-http-cors CORS settings
DOCKERFILE = "dockerfile"  # `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`: what a container runs
PROCFILE = "procfile"  # `Procfile`, `Procfile.*`: the commands a Heroku/Foreman/honcho app runs
LAUNCH_KINDS = frozenset({DOCKERFILE, PROCFILE})  # files that only say how a server is started
DOTENV = "dotenv"  # `.env`, `.env.*`, `*.env`: environment values a deployment gives the code
NKEY = "nkey"  # `.nk`: a bare nkey seed as nsc and `nk -gen` write it (`keys/O/AB/OABC….nk`)
JSON = "json"  # `.json`: nats CLI contexts (`context/NAME.json`), and fixtures a seed may sit in
TEXT = "text"  # any other committed text file (README.md, deploy.sh, notes.txt): searched for nkey seeds only
CODE_KINDS = frozenset({PYTHON, JAVASCRIPT, TYPESCRIPT})
JS_KINDS = frozenset({JAVASCRIPT, TYPESCRIPT})
