"""Rules on nats-server configs, NATS JWTs and creds, and NATS clients (NAT0xx)."""
