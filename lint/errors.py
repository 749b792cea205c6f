"""Errors that end a run with exit code 2 and a one-line message."""


class AuthlintError(Exception):
    """Base for errors shown to the user without a traceback."""


class ConfigError(AuthlintError):
    """Invalid configuration: unknown key, unknown rule code, bad value."""


class UsageError(AuthlintError):
    """Invalid command-line use."""
