"""Options every `scorecard` command shares, declared once."""
from __future__ import annotations

import re

import click

from scorecard import settings


def _council(_ctx, _param, value: str | None) -> str:
    """The council's ONS code, given its ONS code or LA number (855); an ONS-shaped code
    no reference file lists is kept (a council the DfE's files do not have yet)."""
    from scorecard.councils import UnknownCouncil, find, resolve

    value = (value or settings.COUNCIL.value()).strip()
    found = find(value)
    if found:
        return found.code
    if re.fullmatch(r"E\d{8}", value.upper()):
        return value.upper()
    try:
        return resolve(value)
    except UnknownCouncil as error:
        raise click.BadParameter(str(error)) from None


council_option = click.option(
    "--council", envvar=settings.COUNCIL.env, default=settings.COUNCIL.default, show_default=True, callback=_council,
    help=f"The council: its ONS code (E06/E08/E09/E10...) or LA number; default: the {settings.COUNCIL.env} setting.")
