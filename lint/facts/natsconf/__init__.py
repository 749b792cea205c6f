"""Facts from nats-server configs: the block-aware walk of a parsed config and the credentials
each listener accepts."""
