"""Reading YAML input files and turning validation failures into clear, one-line problems."""

from __future__ import annotations

import hashlib
import json
import re
import stat
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from handouts import cache as stored
from handouts import limits
from handouts.errors import FORBIDDEN_TEXT, InputError, Problem, shown
from handouts.validation import Invalid, validated

M = TypeVar("M", bound=msgspec.Struct)


class _Refused(yaml.YAMLError):
    """A YAML file that parses but that we do not take: one clear message, at a line."""

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader with limits on work, and no silent surprises.

    - dates stay text, so that 31-02-2026 gets our own clear message, not a parser crash;
    - nesting is bounded while composing (the composer recurses), and the size of the data
      after expanding aliases is counted before anything is built (an alias bomb of a few
      hundred bytes expands to billions of values; anchors within reason still work);
    - a key given twice in one mapping is refused (YAML would silently take the last);
    - numbers with more than a few dozen digits are refused before Python converts them."""

    def __init__(self, stream: str, max_string: int | None) -> None:
        super().__init__(stream)
        self._depth = 0
        self._max_string = max_string

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > limits.MAX_YAML_DEPTH:
                raise _Refused(
                    f"nested deeper than {limits.MAX_YAML_DEPTH} levels; "
                    "this is not a file of ours",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise _Refused(
                        f"key '{key_node.value}' is given twice (first on line "
                        f"{seen[key_node.value]}); keep one",
                        key_node.start_mark,
                    )
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_str(self, node: Any) -> Any:
        if self._max_string is not None:  # a library or profile file: strict
            if len(node.value) > self._max_string:
                raise _Refused(
                    f"a value of {len(node.value):,} characters (at most "
                    f"{self._max_string:,}); shorten it",
                    node.start_mark,
                )
            forbidden = FORBIDDEN_TEXT.search(node.value)
            if forbidden:
                raise _Refused(
                    f"a value holds an invisible control character ({shown(forbidden[0])}); "
                    "retype it",
                    node.start_mark,
                )
        return super().construct_yaml_str(node)

    def construct_yaml_int(self, node: Any) -> Any:
        _short_number(node)
        if _LEADING_ZERO.fullmatch(str(node.value)):
            return str(node.value)  # a phone number or a code (0123), not YAML's octal 83
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: Any) -> Any:
        _short_number(node)
        return super().construct_yaml_float(node)


_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")


def _short_number(node: Any) -> None:
    if sum(c.isdigit() for c in str(node.value)) > limits.MAX_NUMBER_DIGITS:
        raise _Refused(
            f"a number of more than {limits.MAX_NUMBER_DIGITS} digits; check the value",
            node.start_mark,
        )


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


# The shipped library and locales are part of the tool (the tests hold every file to the same
# checks), so they are read with libyaml's C parser where installed: a cold `generate` parsed
# them for ~0.15 s in pure Python. Files a user gives keep the guarded loader above.
_FastBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ShippedLoader(_FastBase):  # type: ignore[misc]
    """Dates stay text, as in _Loader (a test checks that both read the same data)."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def read_shipped_yaml(path: Path) -> Any:
    """A YAML file of the shipped library (trusted: see _ShippedLoader)."""
    text = read_text_file(path, limits.MAX_YAML_BYTES, "YAML file")
    return parse_shipped_yaml(text, str(path))


def parse_shipped_yaml(text: str, source: str) -> Any:
    """YAML text that ships with the tool (library, locales), read as _ShippedLoader does;
    kept between runs as JSON (below)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    kept = KEPT_PARSED.get(digest)
    if kept is not None:
        return json.loads(kept)  # new objects on every call, as the parser makes
    try:
        data = yaml.load(text, Loader=_ShippedLoader)
    except yaml.YAMLError as err:
        raise InputError.single(source, _line(err), f"broken YAML ({err})") from None
    _keep_parsed(digest, data)
    return data


# The shipped YAML files as parsed, kept between runs (handouts/cache.py) by a hash of their
# text, in one file named after this module's and PyYAML's installed files: JSON reads ~10x
# faster than YAML (~5 ms of a cold generate). Only data that JSON gives back equal is kept
# (text keys, no dates or tuples); anything else is parsed each time.
KEPT_PARSED = stored.Strings("yaml", ("handouts.files", "yaml"), limit=200)


def _keep_parsed(digest: str, data: Any) -> None:
    try:
        text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return
    if json.loads(text) == data:  # else not the same data back (keys that are not text)
        KEPT_PARSED.put(digest, text)


def _expanded_size(root: Any) -> int:
    """Values in the document with every alias expanded, counted without expanding: a node
    shared through an alias counts once per use (memoised by identity, so this is linear)."""
    sizes: dict[int, int] = {}
    # iterative post-order walk: deep documents were refused already, but stay safe anyway
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if children_done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 0) for c in children)
            if sizes[id(node)] > limits.MAX_YAML_NODES:
                return sizes[id(node)]
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes.get(id(root), 0)


def parse_yaml(text: str, source: str, max_string: int | None = None) -> Any:
    """YAML text with the limits on work above. max_string: refuse longer values and values
    with control characters (library and profile files); a roster leaves it out, so that such
    a cell fails its row only (through the model's own checks)."""
    loader = _Loader(text, max_string)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > limits.MAX_YAML_NODES:
            raise _Refused(
                f"expands to more than {limits.MAX_YAML_NODES:,} values (through aliases "
                "* and &); write the values out"
            )
        return loader.construct_document(node)
    except _Refused as err:
        raise InputError.single(source, _line(err), err.message) from None
    except yaml.YAMLError as err:
        raise InputError.single(source, *_yaml_problem(err, text)) from None
    except RecursionError:  # a guard behind the depth limit
        raise InputError.single(
            source, "", "nested too deeply; this is not a file of ours"
        ) from None
    finally:
        loader.dispose()


# What a newcomer's YAML mistakes look like to the parser, and what to do, in plain words.
# (parser's words, where the mistake starts: the problem or its context, the fix)
_YAML_MISTAKES = (
    ("'\\t'", "problem", "a tab; indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        "problem",
        "a second ': ' on one line, or a line that starts with a space; put a text with ': ' "
        'in quotes (notities: "Let op: rustig aan") and start each field at the left edge',
    ),
    (
        "could not find expected ':'",
        "context",
        "a field without ': ' after its name; write a colon and a space (voet: links)",
    ),
    ("end of stream", "context", "a quote that is not closed; close it or remove it"),
    (
        "escape",
        "problem",
        "a \\ inside double quotes; write a path with / or in single quotes ('C:\\praktijk')",
    ),
)


CURLY_QUOTES = "“”‘’„"


def _yaml_problem(err: yaml.YAMLError, text: str) -> tuple[str, str]:
    """(line, message) for a YAML file the parser cannot read."""
    problem = str(getattr(err, "problem", None) or "cannot be read")
    for words, where, fix in _YAML_MISTAKES:
        if words in problem:
            mark = getattr(err, f"{where}_mark", None) or getattr(err, "problem_mark", None)
            if mark is None:
                return "", f"broken YAML: {fix}"
            lines = text.splitlines()
            typed = lines[mark.line] if mark.line < len(lines) else ""
            if any(quote in typed for quote in CURLY_QUOTES):  # an editor's "smart quotes"
                fix = 'curly quotes (“ ”) are not quotes here; type straight ones (")'
            return f"line {mark.line + 1}", f"broken YAML: {fix}"
    return _line(err), f"broken YAML ({problem}); check indentation, colons and quotes"


def _line(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    return f"line {mark.line + 1}" if mark is not None else ""


def is_yaml_saved_as_txt(path: Path) -> bool:
    """jan.yaml.txt: Notepad adds .txt to a name, and Windows hides it."""
    return path.suffix.lower() == ".txt" and Path(path.stem).suffix.lower() in (".yaml", ".yml")


def read_yaml(path: Path) -> Any:
    """A YAML input file, refused before reading when it is no regular file or too big."""
    text = read_text_file(path, limits.MAX_YAML_BYTES, "YAML file")
    return parse_yaml(text, str(path), limits.MAX_YAML_STRING_CHARS)


def read_text_file(path: Path, max_bytes: int, kind: str) -> str:
    """A UTF-8 text file of at most max_bytes: never reads more (/dev/zero, a 50 MB file),
    never opens what is not a regular file (a FIFO would block)."""
    data = read_bytes_limited(path, max_bytes, kind)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single(str(path), "", "is not UTF-8 text; save it as UTF-8") from None


def read_bytes_limited(path: Path, max_bytes: int, kind: str) -> bytes:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError.single(str(path), "", f"is a folder; give a {kind}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError.single(str(path), "", f"is not a regular file; give a {kind}")
        if info.st_size > max_bytes:
            raise InputError.single(str(path), "", _too_big(info.st_size, max_bytes, kind))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise InputError.single(str(path), "", _not_found(path)) from None
    except OSError as err:
        raise InputError.single(
            str(path), "", f"cannot be read ({err.strerror}); check it is yours to read, or copy it"
        ) from None
    if len(data) > max_bytes:
        raise InputError.single(str(path), "", _too_big(len(data), max_bytes, kind))
    return data


def _not_found(path: Path) -> str:
    """File not found; an editor that saved it with .txt added (Notepad) is named."""
    with_txt = path.with_name(path.name + ".txt")
    try:
        if with_txt.is_file():
            return f"file not found, but {with_txt.name} is there; rename it to {path.name}"
    except OSError:
        pass
    return "file not found; check the path"


def _too_big(size: int, max_bytes: int, kind: str) -> str:
    return (
        f"is too big for a {kind} ({_size(size)}, at most {_size(max_bytes)}); "
        "check that it is the right file"
    )


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB"


def validate_model(model: type[M], data: Any, source: str) -> M:
    """Build a model from parsed data; every problem at once, each naming its field."""
    if not isinstance(data, dict):
        raise InputError.single(source, "", "expected a mapping of fields (key: value)")
    try:
        return validated(model, data)
    except Invalid as err:
        raise InputError(problems_from(err, source)) from None


def problems_from(err: Invalid, source: str) -> list[Problem]:
    """One problem per error, at most MAX_PROBLEMS_PER_FILE (then how many more)."""
    errors = err.errors
    problems = [Problem(source, e.field, e.message) for e in errors[: limits.MAX_PROBLEMS_PER_FILE]]
    if len(errors) > len(problems):
        more = len(errors) - len(problems)
        problems.append(Problem(source, "", f"… and {more} more problems; fix these first"))
    return problems
