"""The YAML reader's limits hold for any nesting, with or without the event pass.

The event pass that refuses deep nesting is skipped for texts that cannot nest deeply
(no flow brackets, no long run of spaces and dashes at a line's start). These tests
build block YAML as compact as YAML allows and check that depth 64 is read and 65 is
refused, whichever way the levels are written.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bizcli.storage.yaml_reader import MAX_DEPTH, YamlFile


def block(kinds: list[str], column: int = 0) -> str:
    """Nested block collections, each as far left as YAML allows; ends in a scalar."""
    if not kinds:
        return "x\n"
    kind, rest = kinds[0], kinds[1:]
    if kind == "seq":  # "- " and the item on the same line, two columns right
        return "- " + block(rest, column + 2)
    if not rest:
        return "k: x\n"
    child = column if rest[0] == "seq" else column + 1  # a list may sit under its key
    return "k:\n" + " " * child + block(rest, child)


def depth_of(node: object) -> int:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return 1 + max(depth_of(value) for _, value in node.value)
    if isinstance(node, yaml.SequenceNode):
        return 1 + max(depth_of(item) for item in node.value)
    return 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["seq", "map"]), min_size=1, max_size=MAX_DEPTH + 8))
def test_block_nesting_is_read_up_to_the_limit_and_refused_beyond(kinds: list[str]) -> None:
    file = YamlFile("deep.yaml", block(kinds))
    if len(kinds) <= MAX_DEPTH:
        assert file.problems == []
        assert depth_of(file.root) == len(kinds)
    else:
        assert [p.code for p in file.problems] == ["yaml-too-deep"]


def test_files_as_bizcli_writes_them_skip_the_event_pass() -> None:
    from bizcli.storage.yaml_reader import _risky

    assert not _risky("schema: 1\nitems:\n- code: OAK\n  name: Oak board\n  cost: '12.50'\n")
    assert _risky("schema: 1\nitems: [] \n")
    assert _risky("a: *alias\n")
    assert _risky("\n" + " " * (MAX_DEPTH // 2 - 1) + "k: v\n")
