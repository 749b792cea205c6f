"""authlint: finds and fixes authentication and connection misconfigurations."""

__version__ = "0.1.0"
