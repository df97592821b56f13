"""The declarations agree with each other: schemas, code lists, store tables, README."""
from __future__ import annotations

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Text

from ingest import ssda903
from scorecard.codes import CODES_DIR, code_list, token
from ingest.datasets import DATASETS
from ingest.schema import Kind
from scorecard import settings, store

STORE_TYPES = {Kind.TEXT: (String, Text), Kind.CODE: (String,), Kind.DATE: (Date,), Kind.DATETIME: (DateTime,),
               Kind.FLAG: (Boolean,), Kind.NUMBER: (Float,), Kind.INTEGER: (Integer,)}


def test_every_field_has_a_store_column_of_its_type():
    for dataset in DATASETS.values():
        table = store.RECORD_TABLES[dataset.name]
        for f in dataset.stored_fields:
            assert isinstance(table.c[f.name].type, STORE_TYPES[f.kind]), (dataset.name, f.name)
            # The SSDA903 leaves these empty where the template requires them.
            if f.required and f.blank_means is None and f.name not in ("placement_provider", "period_start"):
                assert not table.c[f.name].nullable, (dataset.name, f.name)
        for f in dataset.fields:
            if f.input_only:
                assert f.name not in table.c and not f.required, (dataset.name, f.name)
                assert any(f.name in d.sources for d in dataset.derivations), f"{f.name} is read for nothing"


def test_no_header_name_means_two_fields_of_one_dataset():
    for dataset in [*DATASETS.values(), *ssda903.TABLES.values()]:
        seen = {}
        for f in dataset.fields:
            for name in f.header_tokens:
                assert seen.setdefault(name, f.name) == f.name, (dataset.name, name, seen[name], f.name)


def test_keys_are_fields():
    for dataset in [*DATASETS.values(), *ssda903.TABLES.values()]:
        for name in dataset.key:
            dataset.field(name)


def test_code_lists_are_well_formed_and_cite_their_source():
    for path in sorted(CODES_DIR.glob("*.csv")):
        codes = code_list(path.stem)
        assert codes.codes, path
        assert codes.source, f"{path.name} does not cite its source"
        # No written form means two codes: every code and label resolves to one code.
        for code in codes.codes.values():
            assert codes.match(code.code) == code.code
    accommodation = code_list("accommodation")
    for code in accommodation.codes.values():
        if code.code[-1] in "12":
            assert code.group == {"1": "suitable", "2": "unsuitable"}[code.code[-1]], code


def test_readme_documents_every_setting_and_dataset():
    readme = (settings.PROJECT_ROOT / "README.md").read_text()
    for setting in settings.ALL_SETTINGS:
        assert setting.env in readme, setting.env
    for dataset in DATASETS.values():
        assert dataset.title in readme, dataset.title


def test_tokens_ignore_case_spaces_and_punctuation():
    assert token("Date of Birth") == token("DATE_OF_BIRTH") == token("date-of-birth ") == "dateofbirth"
