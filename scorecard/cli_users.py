"""`scorecard users add|list|set-role|set-council|set-password|disable|enable|demo` and `scorecard audit export`:
the accounts that may sign in to the web app, and the record of what they did."""
from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from pathlib import Path

import click

from scorecard import settings

DEMO_ACCOUNTS_FILE = settings.DATA_DIR / "demo-accounts.txt"


def _engine(create: bool = False):
    """The store; `create`: the command adds accounts, and may make a new store."""
    from scorecard import store

    return store.engine(create=create)


def _fail(error: Exception) -> None:
    click.echo(f"Not done: {error}", err=True)
    sys.exit(1)


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def users() -> None:
    """Accounts for the web app: viewer, manager, analyst or admin."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, help="viewer, manager, analyst or admin.")
@click.option("--name", "display_name", default="", help="The name shown, e.g. 'Cllr Jo Bloggs'.")
@click.option("--themes", default=None, help="Comma-separated theme ids the user's commentary and actions are "
              "limited to (e.g. health,placements); default every theme.")
@click.option("--council", default=None, help="Bind the user to this council (ONS code, LA number or name): "
              "in a store holding several councils they see, and load, that council's data only. Default: the "
              f"deployment's council ({settings.COUNCIL.env}).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--sso-only", is_flag=True, help="No password: the user signs in only through single sign-on.")
def add_command(username, role, display_name, themes, council, password_stdin, sso_only) -> None:
    """Add an account (asks for its password unless --sso-only)."""
    from scorecard.access.accounts import AccountError, add_user, parse_council

    try:
        parse_council(council)  # a wrong council is said before the password is asked for
        who = add_user(_engine(create=True), username, role, display_name,
                       None if sso_only else _password(password_stdin), themes, council)
    except AccountError as error:
        _fail(error)
    limited = f", limited to {', '.join(sorted(who.themes))}" if who.themes else ""
    bound = f", council {who.council}" if who.council else ""
    click.echo(f"Added {who.username} ({who.role.value}{limited}{bound}).")


@users.command("list")
def list_command() -> None:
    """Every account, its role and status."""
    from scorecard.access.accounts import list_users

    rows = list_users(_engine())
    if not rows:
        click.echo("No accounts yet: add one with `scorecard users add NAME --role admin`.")
        return
    for row in rows:
        status = "active" if row["active"] else "disabled"
        how = "password" if row["password"] else "single sign-on only"
        themes = f", themes {row['themes']}" if row["themes"] else ""
        council = f", council {row['council']}" if row.get("council") else ""
        click.echo(f"{row['username']:<24} {row['role']:<8} {status:<9} {how}{themes}{council}  "
                   f"({row['display_name']})")


@users.command("set-role")
@click.argument("username")
@click.argument("role")
@click.option("--themes", default=None, help="Limit commentary and actions to these themes (comma-separated); "
              "leave out for every theme.")
def set_role_command(username, role, themes) -> None:
    """Change an account's role (its sessions are signed out)."""
    from scorecard.access.accounts import AccountError, set_role

    try:
        set_role(_engine(), username, role, themes)
    except AccountError as error:
        _fail(error)
    click.echo(f"{username.lower()} is now {role.lower()}; their sessions are signed out.")


@users.command("set-council")
@click.argument("username")
@click.argument("council", required=False)
@click.option("--default", "to_default", is_flag=True, help="Unbind: the user sees the deployment's council.")
def set_council_command(username, council, to_default) -> None:
    """Bind an account to a council (ONS code, LA number or name), or --default to unbind it;
    its sessions are signed out."""
    from scorecard.access.accounts import AccountError, set_council

    if bool(council) == to_default:
        _fail(ValueError("give either a council (its ONS code, LA number or name) or --default"))
    try:
        chosen = set_council(_engine(), username, None if to_default else council)
    except AccountError as error:
        _fail(error)
    shown = chosen or f"the deployment's council ({settings.default_council()})"
    click.echo(f"{username.lower()} now sees {shown}; their sessions are signed out.")


@users.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def set_password_command(username, password_stdin) -> None:
    """Set an account's password (its sessions are signed out)."""
    from scorecard.access.accounts import AccountError, set_password

    try:
        set_password(_engine(), username, _password(password_stdin))
    except AccountError as error:
        _fail(error)
    click.echo(f"Password set for {username.lower()}; their sessions are signed out.")


@users.command("disable")
@click.argument("username")
def disable_command(username) -> None:
    """Stop an account signing in (its sessions end at once); the account and its history stay."""
    from scorecard.access.accounts import AccountError, set_active

    try:
        set_active(_engine(), username, False)
    except AccountError as error:
        _fail(error)
    click.echo(f"{username.lower()} is disabled.")


@users.command("enable")
@click.argument("username")
def enable_command(username) -> None:
    """Let a disabled account sign in again."""
    from scorecard.access.accounts import AccountError, set_active

    try:
        set_active(_engine(), username, True)
    except AccountError as error:
        _fail(error)
    click.echo(f"{username.lower()} is enabled.")


@users.command("demo")
def demo_command() -> None:
    """For trying the demo: one account of each role (demo-viewer, demo-manager, demo-analyst,
    demo-admin) with a random password, kept in data/demo-accounts.txt. Refused in production."""
    from scorecard.access.accounts import add_user, list_users
    from scorecard.access.roles import Role

    if settings.production():
        _fail(ValueError("demo accounts are not made in production (SCORECARD_ENVIRONMENT=production)"))
    existing = {row["username"] for row in list_users(_engine(create=True))}
    made = []
    for role in Role:
        username = f"demo-{role.value}"
        if username not in existing:
            password = secrets.token_urlsafe(12)
            add_user(_engine(), username, role.value, f"Demo {role.value}", password)
            made.append(f"{username}  {password}")
    if made:
        fresh = not DEMO_ACCOUNTS_FILE.exists()
        DEMO_ACCOUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(DEMO_ACCOUNTS_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a") as handle:
            if fresh:
                handle.write("# Demo sign-ins for http://127.0.0.1:8050 (username  password)\n")
            handle.write("".join(f"{line}\n" for line in made))
    if DEMO_ACCOUNTS_FILE.exists():
        click.echo(f"Demo sign-ins (username and password) are in {DEMO_ACCOUNTS_FILE}:")
        click.echo(DEMO_ACCOUNTS_FILE.read_text().rstrip())
    else:
        click.echo("The demo accounts exist but their passwords were not kept here: set one with "
                   "`scorecard users set-password demo-viewer`.")


@click.group()
def audit() -> None:
    """The audit log: sign-ins, uploads, edits, exports and account changes."""


@audit.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The CSV file to write.")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Only the last N days.")
def export_command(out: Path, days: int | None) -> None:
    """Write the audit log as CSV (newest first), safe to open in a spreadsheet."""
    from scorecard.access.audit_export import audit_csv

    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days) if days else None
    content, count = audit_csv(_engine(), since)
    out.write_bytes(content)
    click.echo(f"Wrote {count} events to {out}.")
