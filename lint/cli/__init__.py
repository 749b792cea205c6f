"""The command line: the fast ``check`` path, typer for the rest, explain and jwt inspect."""
