"""Options every `scorecard` command shares, declared once."""
from __future__ import annotations

import click

from scorecard import settings


def _council(_ctx, _param, value: str | None) -> str:
    """The council's ONS code, given its ONS code, LA number (855) or name."""
    from scorecard.councils import UnknownCouncil, code_for

    try:
        return code_for(value or settings.COUNCIL.value())
    except UnknownCouncil as error:
        raise click.BadParameter(str(error)) from None


council_option = click.option(
    "--council", envvar=settings.COUNCIL.env, default=settings.COUNCIL.default, show_default=True, callback=_council,
    help=f"The council: its ONS code (E06/E08/E09/E10...) or LA number; default: the {settings.COUNCIL.env} setting.")
