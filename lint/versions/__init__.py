"""The versions a project runs, read from the files that write them down.

Rules judge code by the library and server versions it runs against (jsonwebtoken < 9 accepts
unsigned tokens where 9 refuses them; socket.io 2 allowed every origin where 3 allows none), so the
project's dependency files, lock files, images and tool pins are read once per run into a
``ProjectVersions`` (``model.py``) that every rule sees as ``settings.versions``.
"""
