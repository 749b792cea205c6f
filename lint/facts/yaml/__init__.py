"""Facts from YAML: CORS set by ingress annotations and Traefik middlewares, JWT literals."""
