"""Settings declared once, as data: name, environment variable, default and help.

Everything configurable about a deployment is read here and nowhere else, so the
README's settings table and the code cannot drift apart (a test checks the README
mentions every environment variable below).
"""
from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env) or self.default


DATABASE_URL = Setting(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'scorecard.db'}",
    "SQLAlchemy URL of the store; the default is an embedded SQLite file under data/. "
    "For PostgreSQL: postgresql+psycopg://user:password@host/dbname",
)
COUNCIL = Setting(
    "SCORECARD_COUNCIL",
    "E10000099",
    "Code of the council whose data is loaded when `--council` is not given "
    "(the demo county is E10000099; use your ONS E06/E08/E09/E10 code).",
)
LOADED_BY = Setting(
    "SCORECARD_USER",
    "",
    "Name recorded as `loaded_by` on each extract; defaults to the operating-system user.",
)

NEIGHBOUR_MODEL = Setting(
    "SCORECARD_NEIGHBOUR_MODEL",
    "2025",
    "Which DfE statistical neighbour model names the council's ten neighbours: 2025 (May 2025, "
    "the default) or 2021 (April 2021).",
)
NEIGHBOUR_AVERAGE = Setting(
    "SCORECARD_NEIGHBOUR_AVERAGE",
    "mean",
    "How the neighbours' published figures are averaged: mean (the default, as the DfE's LAIT "
    "shows it) or median (as the DfE's children's social care dashboard).",
)

ENVIRONMENT = Setting(
    "SCORECARD_ENVIRONMENT",
    "development",
    "development (the default: one analyst's machine) or production (a council server: the app "
    "refuses to start without a proper SCORECARD_SECRET_KEY, and session cookies are sent only over HTTPS).",
)
SECRET_KEY = Setting(
    "SCORECARD_SECRET_KEY",
    "",
    "The key that signs session cookies: at least 32 random characters (e.g. `python -c "
    "'import secrets; print(secrets.token_hex(32))'`), the same for every worker. Required in "
    "production; in development one is made and kept in data/.secret_key.",
)
TRUSTED_USER_HEADER = Setting(
    "SCORECARD_TRUSTED_USER_HEADER",
    "",
    "Off by default. The request header in which the council's single-sign-on reverse proxy "
    "puts the signed-in username (e.g. X-Remote-User): set it only when every request comes "
    "through that proxy, which must remove the header from what clients send. The user must "
    "still have an account here (`scorecard users add`), which gives the role.",
)
PROXIES = Setting(
    "SCORECARD_PROXIES",
    "0",
    "How many reverse proxies stand in front of the app (usually 1 in production): their "
    "X-Forwarded-For and X-Forwarded-Proto are then trusted for the client's address and HTTPS.",
)

MAX_UPLOAD_MB = Setting(
    "SCORECARD_MAX_UPLOAD_MB",
    "50",
    "The most, in megabytes, that the files of one upload in the browser may hold together "
    "(the default, 50, is ten times a large county's monthly extracts).",
)

COUNCILS_IN_MEMORY = Setting(
    "SCORECARD_COUNCILS_IN_MEMORY",
    "4",
    "How many councils' figures each web worker keeps in memory at once (the least recently "
    "viewed goes first); a regional deployment with many councils may want more, at about "
    "the memory of one council's records each.",
)

ALL_SETTINGS = [DATABASE_URL, COUNCIL, LOADED_BY, NEIGHBOUR_MODEL, NEIGHBOUR_AVERAGE, ENVIRONMENT, SECRET_KEY,
                TRUSTED_USER_HEADER, PROXIES, MAX_UPLOAD_MB, COUNCILS_IN_MEMORY]


class SettingError(ValueError):
    """A setting with a value it cannot take: refused at start-up, with the choices."""


def neighbour_model() -> str:
    return _one_of(NEIGHBOUR_MODEL, ("2025", "2021"))


def neighbour_average() -> str:
    return _one_of(NEIGHBOUR_AVERAGE, ("mean", "median"))


def _one_of(setting: Setting, choices: tuple[str, ...]) -> str:
    value = setting.value().strip().lower()
    if value not in choices:
        raise SettingError(f"{setting.env}={setting.value()!r}: it must be one of {', '.join(choices)}")
    return value


def max_upload_bytes() -> int:
    """SCORECARD_MAX_UPLOAD_MB in bytes; a value that is not a positive number is refused."""
    try:
        megabytes = float(MAX_UPLOAD_MB.value())
    except ValueError:
        megabytes = 0
    if megabytes <= 0:
        raise SettingError(f"{MAX_UPLOAD_MB.env}={MAX_UPLOAD_MB.value()!r}: it must be a positive number of megabytes")
    return int(megabytes * 1024 * 1024)


def councils_in_memory() -> int:
    """SCORECARD_COUNCILS_IN_MEMORY; a value that is not a whole number of at least 1 is refused."""
    text = COUNCILS_IN_MEMORY.value().strip()
    if not text.isdigit() or int(text) < 1:
        raise SettingError(f"SCORECARD_COUNCILS_IN_MEMORY must be a whole number of at least 1, not {text!r}")
    return int(text)


def max_request_bytes() -> int:
    """Flask's MAX_CONTENT_LENGTH for the upload's limit. The browser sends the files base64
    encoded (4 bytes for every 3) inside a JSON request; an upload up to twice the limit
    still reaches the page, which refuses it with the limit named, and anything larger is
    cut off by Flask (HTTP 413) before it is read."""
    return 2 * (max_upload_bytes() * 4 // 3) + 1024 * 1024


def production() -> bool:
    return _one_of(ENVIRONMENT, ("development", "production")) == "production"


KNOWN_WEAK_KEYS = {"", "secret", "changeme", "change-me", "dev", "development", "default", "password"}
MIN_SECRET_LENGTH = 32


def secret_key() -> str:
    """The session-signing key. Production: SCORECARD_SECRET_KEY, refused if missing, short
    or a well-known default. Development: that, or one made once and kept in data/.secret_key
    (readable by the owner only) so that every worker and restart shares it."""
    key = SECRET_KEY.value().strip()
    if production():
        if key.lower() in KNOWN_WEAK_KEYS or len(key) < MIN_SECRET_LENGTH:
            raise SettingError(
                f"{SECRET_KEY.env} must be set to at least {MIN_SECRET_LENGTH} random characters in production "
                "(python -c 'import secrets; print(secrets.token_hex(32))'); refusing to start without it")
        return key
    if key:
        return key
    import secrets

    path = DATA_DIR / ".secret_key"
    if not path.exists():  # written whole, then linked in: workers starting together agree
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".secret_key.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def trusted_user_header() -> str | None:
    return TRUSTED_USER_HEADER.value().strip() or None


def proxies() -> int:
    try:
        count = int(PROXIES.value())
    except ValueError:
        count = -1
    if count < 0:
        raise SettingError(f"{PROXIES.env}={PROXIES.value()!r}: it must be a whole number (0, 1, ...)")
    return count


def database_url() -> str:
    return DATABASE_URL.value()


BACKENDS = ("sqlite", "postgresql")


def checked_database_url(text: str):
    """The store's URL as SQLAlchemy reads it (a `sqlalchemy.engine.URL`), refused in words
    when it cannot be a store: not a URL, a database other than SQLite or PostgreSQL, a
    driver that is not installed, or SQLite in memory (whose data would go with the process).
    The password is never shown."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    example = f"sqlite:///{DATA_DIR / 'scorecard.db'} or postgresql+psycopg://user:password@host/dbname"
    try:
        url = make_url(text)
    except ArgumentError:
        shown = re.sub(r"//[^/@]*@", "//***@", text)
        raise SettingError(f"{DATABASE_URL.env}={shown!r} is not a database URL: give one like {example}") from None
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() not in BACKENDS:
        raise SettingError(f"{DATABASE_URL.env}={shown}: the scorecard keeps its store in SQLite or PostgreSQL "
                           f"only; give a URL like {example}")
    try:
        url.get_dialect().import_dbapi()
    except NoSuchModuleError:
        raise SettingError(f"{DATABASE_URL.env}={shown}: {url.drivername!r} is not a driver SQLAlchemy knows; "
                           f"give a URL like {example}") from None
    except ImportError as missing:
        raise SettingError(f"{DATABASE_URL.env}={shown}: its driver is not installed ({missing}); use "
                           "postgresql+psycopg://, whose driver the scorecard installs") from None
    memory = url.database in (None, "", ":memory:") or url.query.get("mode") == "memory" or \
        (url.database or "").startswith("file::memory:")
    if url.get_backend_name() == "sqlite" and memory:
        raise SettingError(f"{DATABASE_URL.env}={shown} is a SQLite database in memory, whose data would be lost "
                           f"when the program ends: give a file, like sqlite:///{DATA_DIR / 'scorecard.db'}")
    return url


def default_council() -> str:
    """The council's ONS code; the setting may give its LA number instead (855)."""
    from scorecard.councils import UnknownCouncil, code_for

    try:
        return code_for(COUNCIL.value())
    except UnknownCouncil:
        return COUNCIL.value().strip()  # the pages then say there are no figures for it


def current_user() -> str:
    if LOADED_BY.value():
        return LOADED_BY.value()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
