"""Configuration files, resolved settings and rule selection."""
