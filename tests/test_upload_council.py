"""Which council an upload's file names and titles name (ingest.upload_council): by ONS code
or by name, as whole words, the longest name first; the templates' own names name none."""
from __future__ import annotations

import pytest

from ingest.demo import FILES
from ingest.upload_council import councils_in_text


@pytest.mark.parametrize("text, councils", [
    ("Gloucestershire CLA 2025-03", ["E10000013"]),
    ("south_gloucestershire-cla", ["E06000025"]),          # not Gloucestershire as well
    ("E10000013_children_in_care", ["E10000013"]),
    ("e10000013 visits", ["E10000013"]),
    ("Leicester City and Leicestershire placements", ["E06000016", "E10000018"]),
    ("Bristol visits March 2025", ["E06000023"]),           # listed as "Bristol, City of"
    ("Children looked after at 31/03/2025", []),
    ("Exampleshire missing episodes", ["E10000099"]),       # the demo county, listed as "Exampleshire (demo county)"
    ("Gloucestershireish", []),                             # whole words only
    ("E1000001300", []),                                    # not an ONS code: too long
])
def test_the_councils_a_text_names(text, councils):
    assert councils_in_text(text) == councils


def test_the_templates_file_names_name_no_council():
    assert [name for name, _ in FILES if councils_in_text(name.rsplit(".", 1)[0])] == []
