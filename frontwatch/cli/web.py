"""`frontwatch serve` (the web workbench) and `frontwatch users ...` (who may use it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import FrontwatchError
from .store import Db, Json, err, fail, open_store, out, read_store, write_store

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Without users only "
                                      "127.0.0.1, localhost or ::1.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    assets: Annotated[Path | None, typer.Option(
        "--assets", help="Folder of npm packages served at /vendor (default $FRONTWATCH_ASSETS, else the "
        "repository's node_modules).", show_default=False)] = None,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        "--forwarded-allow-ips", help="Comma-separated addresses of reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are believed ('*' for any). Without it these headers are ignored.",
        show_default=False)] = None,
) -> None:
    """Serve the web workbench: search, entity profiles, graph, documents, review, map and timeline.

    With no users (`frontwatch users add`) it is read-only and only listens on loopback."""
    import uvicorn

    from ..web.app import create_app
    from ..web.security import count_users

    users = read_store(db, count_users)
    try:
        store = open_store(db)
    except FrontwatchError as exc:
        raise fail(exc) from None
    loopback = host.strip("[]").lower() in LOOPBACK
    if not users and not loopback:
        err.print(f"frontwatch: refusing to serve on {host} with no users: add one with "
                  "`frontwatch users add NAME --role admin`, or serve on 127.0.0.1", markup=False)
        raise typer.Exit(2)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    mode = "read-only: no users" if not users else f"{users} user{'s' if users != 1 else ''}"
    allowed = [*LOOPBACK, host.strip("[]").lower()] if loopback else None
    app = create_app(store.url, assets=assets, allowed_hosts=allowed)
    store.close()
    out.print(f"frontwatch: serving {store.display_url} at http://{shown}:{port}/ ({mode})", markup=False)
    proxies = [ip.strip() for ip in (forwarded_allow_ips or "").split(",") if ip.strip()]
    # uvicorn would otherwise believe X-Forwarded-For from loopback (or $FORWARDED_ALLOW_IPS) by default
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", server_header=False,
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


users_app = typer.Typer(help="Who may use the web workbench: viewer, analyst or admin.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="viewer, analyst or admin.")] = "viewer",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the "
                                                 "first line of standard input.")] = False,
    db: Db = None,
) -> None:
    """Add a user (the password is asked for twice, or read with --password-stdin)."""
    from ..web.security import ROLES, add_user, check_password, check_username

    try:
        check_username(name)
        if role not in ROLES:
            raise FrontwatchError(f"role must be one of {', '.join(ROLES)}")
        password = check_password(_password(password_stdin))
    except FrontwatchError as exc:
        err.print(f"frontwatch: {exc}", markup=False)
        raise typer.Exit(2) from None
    write_store(db, lambda s: add_user(s, name, password, role).id, create=True)
    out.print(f"frontwatch: added {name} ({role})", markup=False)


@users_app.command("list")
def users_list(db: Db = None, as_json: Json = False) -> None:
    """The users and their roles."""
    import json

    from ..web.security import list_users

    rows = read_store(db, list_users)
    if as_json:
        out.print(json.dumps(rows, indent=2), markup=False)
    elif not rows:
        out.print("no users: the workbench is read-only", markup=False)
    else:
        for r in rows:
            out.print(f"{r['name']:<24} {r['role']:<8} {r['created_at'][:19]}", markup=False)


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="User name.")], db: Db = None) -> None:
    """Remove a user and end their sessions."""
    from ..web.security import remove_user

    write_store(db, lambda s: remove_user(s, name))
    out.print(f"frontwatch: removed {name}", markup=False)


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from "
                                                 "standard input.")] = False,
    db: Db = None,
) -> None:
    """Set a new password (ends the user's sessions)."""
    from ..web.security import set_password

    try:
        password = _password(password_stdin)
        open_store(db).retry(lambda s: set_password(s, name, password))
    except FrontwatchError as exc:
        raise fail(exc) from None
    out.print(f"frontwatch: new password for {name}", markup=False)
