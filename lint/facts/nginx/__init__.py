"""Facts from nginx configuration: what each proxied location does to the connections it passes on
(``proxies``), the upstreams it balances over, the maps that compute its variables, and the
includes that make a fragment part of a larger config (``includes``)."""
