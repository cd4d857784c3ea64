"""The column reference in docs/ is generated from the one schema, so it cannot drift from it."""

from __future__ import annotations

from extractors.schema import schema_doc
from tests.conftest import REPO


def test_docs_schema_is_generated_from_the_schema():
    docs = (REPO / "docs" / "schema.md").read_text()
    assert docs == schema_doc(), "regenerate it: python -m extractors.schema > docs/schema.md"
