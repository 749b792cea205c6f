"""Where a deployment starts nats-server (``NatsLaunch``), and the credentials its flags make the
server accept (``NatsServerAuth``, joined by NAT010 like a config's).

- Compose: a service whose ``entrypoint``/``command`` (a string run through the shell's word
  splitting, or a list) starts nats-server, or whose image is the official ``nats`` one; its
  ``environment``/``env_file`` and its ``volumes`` (``./nats.conf:/etc/nats/nats.conf:ro``, or the
  long form; paths relative to the Compose file's folder, as Compose reads them);
- Kubernetes: a container whose ``command``/``args`` start nats-server (or the ``nats`` image with
  ``args`` only); its ``env``/``envFrom`` and ``volumeMounts``;
- Dockerfile: the last stage's ``ENTRYPOINT``/``CMD`` (exec or shell form), its ``ENV`` and the
  files ``COPY``/``ADD`` place (the build context taken to be the Dockerfile's folder);
- Procfile: a process whose command starts nats-server (run on the host, from the Procfile's folder).

Only files naming nats-server or the nats image are read at all (a byte test before any walk).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Iterable, Iterator

from authlint.facts.model import Fact, NatsFlag, NatsLaunch, NatsMount, NatsPublish, NatsRealm, NatsServerAuth
from authlint.facts.natsflags import IMAGE_CONFIGS, official_image, parse_flags, server_words
from authlint.files.source import Span
from authlint.syntax.shellwords import Word, commands

if TYPE_CHECKING:
    import yaml

    from authlint.run.context import FileContext

def names_nats(text: str) -> bool:
    """The cheap test before any walk: a file that never says ``nats`` starts no nats-server."""
    return "nats" in text.lower()


# -- the facts a launch gives ----------------------------------------------------------------------


def _facts(launch: NatsLaunch) -> Iterator[Fact]:
    yield launch
    realm = NatsRealm()
    token = launch.flag("auth")
    user = launch.flag("user")
    password = launch.flag("pass")
    where = launch.where
    for flag in (token, user, password):
        if flag is not None and not flag.literal:
            realm.opaque = True
    if token is not None and token.value and token.literal:
        realm.tokens.append(token.value)
        realm.where.append(where)
    if user is not None and user.value and user.literal:
        known = password is not None and password.value is not None and password.literal
        realm.users.setdefault(user.value, []).append(password.value if known else None)  # type: ignore[union-attr]
        realm.where.append(where)
    if realm.has_auth:
        yield NatsServerAuth(source=launch.source, span=launch.span, lang=launch.lang, realms={"client": realm})


def _launch(ctx: FileContext, span: Span, origin: str, service: str, image: str, words: list[Word] | None,
            implied: bool, **given) -> Iterator[Fact]:
    """``words``: the command (None: the image's own); ``implied``: the image runs nats-server."""
    if words is None:
        if not implied:
            return
        flags: list[NatsFlag] = []
        config = None
        mounts = given.get("mounts", [])
        for default in IMAGE_CONFIGS:  # the image's own command reads its baked-in config
            if any(m.target == default for m in mounts):
                config = default
    else:
        args = server_words(words, image)
        if args is None:
            return
        flags = parse_flags(args)
        found = [f for f in flags if f.name == "config" and f.value]
        config = found[-1].value if found else None
    launch = NatsLaunch(source=ctx.source, span=span, lang=origin, origin=origin, service=service, image=image,
                        flags=flags, config=config, command_span=_extent(words), **given)
    if config is not None:
        launch.config_relpath = _resolve(ctx.source.relpath, origin, config, launch.mounts)
    yield from _facts(launch)


def _extent(words: list[Word] | None) -> Span | None:
    """The file text the command's words span (None: no command written, or no position known)."""
    spans = [w.span for w in words or () if w.offsets]
    if not spans:
        return None
    return Span(min(s.start for s in spans), max(s.end for s in spans))


def _resolve(relpath: str, origin: str, path: str, mounts: list[NatsMount]) -> str | None:
    """The project file a path inside the server's file system is, when a mount (or, on a host,
    the file's folder) says so."""
    if origin == "procfile":
        return _inside(posixpath.dirname(relpath), path)
    best: tuple[int, str] | None = None
    for mount in mounts:
        if mount.relpath is None:
            continue
        target = mount.target.rstrip("/") or "/"
        if path == target:
            return mount.relpath
        if path.startswith(target.rstrip("/") + "/") and (best is None or len(target) > best[0]):
            rest = path[len(target.rstrip("/")) + 1 :]
            best = (len(target), posixpath.normpath(posixpath.join(mount.relpath, rest)) if mount.relpath else rest)
    return best[1] if best else None


def _inside(folder: str, path: str) -> str | None:
    if not path or path.startswith(("/", "~", "$")) or "://" in path:
        return None
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".":
        return ""
    return None if joined.startswith("..") else joined


# -- YAML: Compose and Kubernetes ------------------------------------------------------------------


def from_yaml(ctx: FileContext) -> Iterable[Fact]:
    import yaml

    from authlint.facts.kubeservices import exposing_services
    from authlint.syntax.yamlfile import mapping_items

    if not names_nats(ctx.source.text):
        return
    documents = [d for d in ctx.tree if isinstance(d, yaml.MappingNode)]
    exposing = None
    for document in documents:
        top = mapping_items(document)
        services = top.get("services")
        if services is not None and isinstance(services[1], yaml.MappingNode):
            yield from _compose(ctx, services[1])
        elif "apiVersion" in top and "kind" in top:
            if exposing is None:
                exposing = exposing_services(documents)
            yield from _kubernetes(ctx, document, top, exposing)


def _yaml_words(ctx: FileContext, node: yaml.Node, split: bool) -> list[Word]:
    """A YAML command as words: a list (one word per item) or a string the shell splits (``split``)."""
    import yaml

    text = ctx.source.text
    if isinstance(node, yaml.SequenceNode):
        return [_scalar_word(text, item) for item in node.value if isinstance(item, yaml.ScalarNode)]
    if not isinstance(node, yaml.ScalarNode):
        return []
    word = _scalar_word(text, node)
    if not split:
        return [word]
    return [w for command in commands(word.value)[:1] for w in
            [Word(x.value, [word.offsets[i] for i in x.offsets], x.expands or word.expands) for x in command]]


def _scalar_word(text: str, node: yaml.Node) -> Word:
    """A scalar with a file offset per character: exact when written as is (plain, or quoted without
    escapes), else every character mapped onto the scalar's extent."""
    value = str(node.value)
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    written = text[start:end]
    expands = "$" in value  # `$$` too: Compose makes it `$`, which a shell may expand
    if written == value:
        return Word(value, list(range(start, start + len(value))), expands)
    at = text.find(value, start, node.end_mark.index) if value and "\n" not in value else -1
    if at != -1:
        return Word(value, list(range(at, at + len(value))), expands)
    last = max(start, end - 1)
    return Word(value, [min(start + i, last) for i in range(len(value))], expands)


def _compose(ctx: FileContext, services: yaml.MappingNode) -> Iterator[Fact]:
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    folder = posixpath.dirname(ctx.source.relpath)
    for key, node in services.value:
        if not isinstance(key, yaml.ScalarNode) or not isinstance(node, yaml.MappingNode):
            continue
        items = mapping_items(node)
        image = _text(items.get("image"))
        entrypoint = items.get("entrypoint")
        command = items.get("command")
        words: list[Word] | None = None
        if entrypoint is not None or command is not None:
            words = []
            if entrypoint is not None:
                words += _yaml_words(ctx, entrypoint[1], split=True)
            if command is not None:
                words += _yaml_words(ctx, command[1], split=True)
        env, env_files = _compose_env(folder, items)
        mounts = list(_compose_mounts(folder, items.get("volumes"))) + list(_compose_files(items))
        yield from _launch(ctx, Span(key.start_mark.index, key.end_mark.index), "compose",
                           f"Compose service `{key.value}`", image, words, official_image(image),
                           env=env, env_files=env_files, mounts=mounts,
                           stock=official_image(image) and "build" not in items,
                           image_span=_value_span(items.get("image")),
                           published=list(_compose_ports(items.get("ports"))),
                           host_network=_text(items.get("network_mode")) == "host",
                           inherits="<<" in items or "extends" in items)


def _value_span(pair: tuple | None) -> Span | None:
    if pair is None:
        return None
    node = pair[1]
    return Span(node.start_mark.index, node.end_mark.index)


def _compose_ports(ports: tuple | None) -> Iterator[NatsPublish]:
    """Compose ``ports``: ``"4222"`` (a random host port), ``"4222:4222"``, ``"127.0.0.1:4222:4222"``,
    ``"[::1]:4222:4222/tcp"``, ranges, and the long form (``target``, ``published``, ``host_ip``)."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    if ports is None or not isinstance(ports[1], yaml.SequenceNode):
        return
    for entry in ports[1].value:
        if isinstance(entry, yaml.ScalarNode):
            text = str(entry.value).strip()
            text = text.rsplit("/", 1)[0] if "/" in text else text  # `/tcp`, `/udp`
            parts = text.rsplit(":", 2)
            host = parts[0] if len(parts) == 3 else ""
            yield NatsPublish(host.strip("[]"), parts[-1])
        elif isinstance(entry, yaml.MappingNode):
            fields = mapping_items(entry)
            target = _text(fields.get("target"))
            if target:
                yield NatsPublish(_text(fields.get("host_ip")), target)


def _compose_env(folder: str, items: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    import yaml

    from authlint.facts.yaml.environment import _env_files

    names: list[str] = []
    environment = items.get("environment")
    if environment is not None:
        node = environment[1]
        if isinstance(node, yaml.MappingNode):
            names += [str(k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            names += [str(i.value).partition("=")[0].strip() for i in node.value if isinstance(i, yaml.ScalarNode)]
    files = tuple(_env_files(folder, items["env_file"][1])) if "env_file" in items else ()
    return tuple(names), files


def _compose_mounts(folder: str, volumes: tuple | None) -> Iterator[NatsMount]:
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    if volumes is None or not isinstance(volumes[1], yaml.SequenceNode):
        return
    for entry in volumes[1].value:
        if isinstance(entry, yaml.ScalarNode):
            parts = str(entry.value).split(":")
            if len(parts) < 2:
                yield NatsMount(parts[0])  # an anonymous volume
                continue
            source, target = parts[0], parts[1]
        elif isinstance(entry, yaml.MappingNode):
            fields = mapping_items(entry)
            source, target = _text(fields.get("source")), _text(fields.get("target"))
        else:
            continue
        if not target:
            continue
        local = source.startswith((".", "/")) or "/" in source
        yield NatsMount(target, _inside(folder, source) if local else None)


def _compose_files(items: dict) -> Iterator[NatsMount]:
    """Compose ``secrets`` (at ``/run/secrets/NAME``) and ``configs`` (at ``/NAME``), or their ``target``."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    for key, base in (("secrets", "/run/secrets/"), ("configs", "/")):
        entries = items.get(key)
        if entries is None or not isinstance(entries[1], yaml.SequenceNode):
            continue
        for entry in entries[1].value:
            if isinstance(entry, yaml.ScalarNode):
                yield NatsMount(base + str(entry.value))
            elif isinstance(entry, yaml.MappingNode):
                fields = mapping_items(entry)
                target = _text(fields.get("target")) or _text(fields.get("source"))
                if target:
                    yield NatsMount(target if target.startswith("/") else base + target)


def _kubernetes(ctx: FileContext, document: yaml.MappingNode, top: dict, exposing: list) -> Iterator[Fact]:
    import yaml

    from authlint.facts.kubeservices import pod_labels
    from authlint.syntax.yamlfile import mapping_items, walk

    kind = _text(top.get("kind"))
    metadata = top.get("metadata")
    name = _text(mapping_items(metadata[1]).get("name")) if metadata is not None else ""
    workload = f"{kind}/{name}" if name else kind
    containers = [node for node in walk(document) if isinstance(node, yaml.MappingNode)
                  and "image" in mapping_items(node) and "name" in mapping_items(node)]
    labels = pod_labels(top)
    selected = [service for service in exposing if service.selects(labels)]
    host_network = any(isinstance(node, yaml.MappingNode) and _text(mapping_items(node).get("hostNetwork")).lower() == "true"
                       for node in walk(document))  # the pod shares the node's interfaces
    for node in containers:
        items = mapping_items(node)
        image = _text(items.get("image"))
        command, args = items.get("command"), items.get("args")
        words: list[Word] | None = None
        if command is not None or args is not None:
            words = []
            if command is not None:
                words += _yaml_words(ctx, command[1], split=False)
            if args is not None:
                words += _yaml_words(ctx, args[1], split=False)
        env: list[str] = []
        env_node = items.get("env")
        if env_node is not None and isinstance(env_node[1], yaml.SequenceNode):
            env = [_text(mapping_items(e).get("name")) for e in env_node[1].value]
        mounts = []
        mount_node = items.get("volumeMounts")
        if mount_node is not None and isinstance(mount_node[1], yaml.SequenceNode):
            mounts = [NatsMount(_text(mapping_items(m).get("mountPath"))) for m in mount_node[1].value]
        container = _text(items.get("name"))
        service = f"`{workload}:{container}`" if container and len(containers) > 1 else f"`{workload}`"
        anchor = items["image"][0]
        yield from _launch(ctx, Span(anchor.start_mark.index, anchor.end_mark.index), "kubernetes", service, image,
                           words, official_image(image), env=tuple(e for e in env if e),
                           env_open="envFrom" in items, mounts=[m for m in mounts if m.target],
                           stock=official_image(image), image_span=_value_span(items.get("image")),
                           published=list(_host_ports(items.get("ports"))) + list(_service_ports(selected, items)),
                           host_network=host_network)


def _service_ports(services: list, items: dict) -> Iterator[NatsPublish]:
    """The container ports NodePort/LoadBalancer Services of the same file send traffic to (a
    ``targetPort`` by number, or by the name of one of the container's ``ports``)."""
    from authlint.facts.kubeservices import container_ports

    named = dict(container_ports(items.get("ports")))
    for service in services:
        for target in service.targets:
            port = target if target.isdigit() else named.get(target, "")
            if port:
                yield NatsPublish("", port, f"Service `{service.name}` ({service.type})")


def _host_ports(ports: tuple | None) -> Iterator[NatsPublish]:
    """A container's ``ports`` with a ``hostPort``: the node's address forwards to the container."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    if ports is None or not isinstance(ports[1], yaml.SequenceNode):
        return
    for entry in ports[1].value:
        if isinstance(entry, yaml.MappingNode):
            fields = mapping_items(entry)
            if _text(fields.get("hostPort")) and _text(fields.get("containerPort")):
                yield NatsPublish(_text(fields.get("hostIP")), _text(fields.get("containerPort")))


def _text(pair: tuple | None) -> str:
    import yaml

    if pair is None or not isinstance(pair[1], yaml.ScalarNode):
        return ""
    return str(pair[1].value)


# -- Dockerfile and Procfile -----------------------------------------------------------------------


def from_dockerfile(ctx: FileContext) -> Iterable[Fact]:
    from authlint.syntax.dockerfile import env_pairs

    stages = ctx.tree
    if not stages or not names_nats(ctx.source.text):
        return
    stage = stages[-1]  # the image the build produces
    entrypoint, cmd = stage.last("ENTRYPOINT"), stage.last("CMD")
    words: list[Word] | None = None
    anchor = next((i for i in (entrypoint, cmd) if i is not None), None)
    if entrypoint is not None:
        words = list(entrypoint.commands[0]) if entrypoint.commands else []
        if entrypoint.exec_form and cmd is not None and cmd.commands:
            words += cmd.commands[0] if cmd.exec_form else [Word("/bin/sh"), Word("-c")]
    elif cmd is not None:
        words = list(cmd.commands[0]) if cmd.commands else []
    env = tuple(name for i in stage.instructions if i.keyword == "ENV" for name, _ in env_pairs(ctx.source.text, i))
    folder = posixpath.dirname(ctx.source.relpath)
    mounts = []
    for instruction in stage.instructions:
        if instruction.keyword in ("COPY", "ADD"):
            paths = [w.value for w in instruction.words if not w.value.startswith("--")]
            if len(paths) < 2:
                continue
            target = paths[-1]
            for source in paths[:-1]:
                placed = target if len(paths) == 2 and not target.endswith("/") else posixpath.join(
                    target, posixpath.basename(source.rstrip("/")))
                mounts.append(NatsMount(placed, _inside(folder, source)))
    span = anchor.span if anchor is not None else Span(0, 0)
    yield from _launch(ctx, span, "dockerfile", f"`{ctx.source.relpath}`", stage.image, words,
                       official_image(stage.image), env=env, mounts=mounts)


def from_procfile(ctx: FileContext) -> Iterable[Fact]:
    if not names_nats(ctx.source.text):
        return
    for process in ctx.tree:
        for command in process.commands:
            yield from _launch(ctx, process.span, "procfile", f"Procfile process `{process.name}`", "", command,
                               False, container=False)


def secret_spans(ctx: FileContext) -> Iterator[Span]:
    """The values of ``--pass`` and ``--auth`` flags: what every output masks."""
    for launch in ctx.of(NatsLaunch):
        for flag in launch.flags:
            if flag.name in ("pass", "auth") and flag.value:
                yield flag.span



def flag_secrets(ctx: FileContext) -> Iterator[tuple[str, NatsFlag]]:
    """(``token`` | ``password``, flag) for each literal ``--auth``/``--pass`` of the file's nats-servers."""
    from authlint.syntax.natsconf import is_bcrypt

    for launch in ctx.of(NatsLaunch):
        for flag in launch.flags:
            if flag.name in ("auth", "pass") and flag.value and flag.literal and not is_bcrypt(flag.value):
                yield ("token" if flag.name == "auth" else "password"), flag
