"""The streamed JSON of a large plan is exactly what json.dumps(indent=2) prints."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bizcli.render.formats import render_json_stream

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=10)


@given(st.dictionaries(st.text(max_size=4), values, max_size=4),
       st.lists(st.dictionaries(st.text(max_size=3), values, max_size=3), max_size=4))
def test_streamed_equals_whole(head: dict[str, Any], records: list[dict[str, Any]]) -> None:
    document: dict[str, Any] = {**head, "records": iter(records)}
    whole = json.dumps({**head, "records": records}, indent=2, ensure_ascii=False) + "\n"
    assert "".join(render_json_stream(document)) == whole
