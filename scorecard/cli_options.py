"""Options every `scorecard` command shares, declared once."""
from __future__ import annotations

import click

from scorecard import settings

council_option = click.option(
    "--council", envvar=settings.COUNCIL.env, default=settings.COUNCIL.default, show_default=True,
    help=f"Council code (ONS E06/E08/E09/E10 code); default: the {settings.COUNCIL.env} setting.")
