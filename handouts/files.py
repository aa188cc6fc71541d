"""Reading YAML input files and turning validation failures into clear, one-line problems."""

from __future__ import annotations

import codecs
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
    return _parse(text, source, max_string, by_hand=False).data


class Noticed(msgspec.Struct, frozen=True):
    """A value that YAML reads otherwise than the person who typed it meant."""

    where: tuple[str | int, ...]  # the keys as typed (and places in lists) down to the value
    line: int  # from 1
    message: str
    mistake: bool  # an error (a note stuck to a value); else a warning (a value cut at #)

    @property
    def field(self) -> str:
        return ".".join(part for part in self.where if isinstance(part, str))


class TypedFile(msgspec.Struct, frozen=True):
    """A file a person typed (patient, practice, roster): its data and what was noticed."""

    data: Any
    noticed: tuple[Noticed, ...] = ()


def read_typed_yaml(path: Path) -> TypedFile:
    """A patient or practice file: read_yaml, and read as a person means it (_as_typed)."""
    text = read_text_file(path, limits.MAX_YAML_BYTES, "YAML file")
    return parse_typed_yaml(text, str(path), limits.MAX_YAML_STRING_CHARS)


def parse_typed_yaml(text: str, source: str, max_string: int | None = None) -> TypedFile:
    return _parse(text, source, max_string, by_hand=True)


def _parse(
    text: str, source: str, max_string: int | None, *, by_hand: bool, retyped: int = 0
) -> TypedFile:
    try:
        loader = _Loader(text, max_string)  # its reader refuses control characters at once
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        found = _LINE.match(text, text.rfind("\n", 0, err.position) + 1)
        key = _KEY.match(found[0] if found else "")
        raise InputError.single(
            source,
            key[1] if key else "",
            f"line {line} holds an invisible control character ({shown(chr(err.character))}); "
            "retype it",
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return TypedFile(None)
        if _expanded_size(node) > limits.MAX_YAML_NODES:
            raise _Refused(
                f"expands to more than {limits.MAX_YAML_NODES:,} values (through aliases "
                "* and &); write the values out"
            )
        noticed = _as_typed(node, text) if by_hand else ()
        return TypedFile(loader.construct_document(node), noticed)
    except _Refused as err:
        raise InputError.single(source, _line(err), err.message) from None
    except yaml.YAMLError as err:
        straight = _straight_quoted(text, err) if by_hand and retyped < MAX_RETYPED else None
        if straight is None:
            raise InputError.single(source, *_yaml_problem(err, text)) from None
    except RecursionError:  # a guard behind the depth limit
        raise InputError.single(
            source, "", "nested too deeply; this is not a file of ours"
        ) from None
    finally:
        loader.dispose()
    return _parse(straight, source, max_string, by_hand=True, retyped=retyped + 1)


# --- a file typed by hand in a plain editor ---------------------------------------------------
# YAML reads three things otherwise than a therapist means them, without a word: a note typed
# without a space before # becomes part of the value ("Jan Jansen# staat op elke pagina"); a
# text with " #3" in it is cut there (the rest is a note to YAML); and an editor's curly
# quotes are letters, not quotes (“7-12-2026” is no date). The composed nodes still hold what
# was typed and where, so each is found there, before the data is built.

CURLY_PAIRS = ("“”", "‘’", "„“", "„”", "«»")
STR_TAG = "tag:yaml.org,2002:str"
_WORD = re.compile(r"\S+")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://", re.I)  # https://praktijk.example/#contact is no note
_CUT = re.compile(r"[ \t]+(#[^\s#][^\r\n\x85\u2028\u2029]*)")  # " #3 op 21-12" after a value
_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]*")  # up to a line break as YAML knows them
_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?([\w-]+)[ \t]*:(?:[ \t]|$)")  # a line's "naam:"
NOTE_SHOWN = 40  # characters of a note quoted in a message


def _as_typed(root: Any, text: str) -> tuple[Noticed, ...]:
    """Every value's notes, in the order of the file; curly-quoted values unwrapped."""
    noticed: list[Noticed] = []
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, where = stack.pop()
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [(value, (*where, str(key.value))) for key, value in reversed(node.value)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, (*where, i)) for i, item in reversed(list(enumerate(node.value)))]
        elif where and node.style is None:  # a plain value: not quoted, not a | block
            noticed += _plain_value(node, where, text)
    return tuple(sorted(noticed, key=lambda n: n.line))


def _plain_value(node: Any, where: tuple[str | int, ...], text: str) -> list[Noticed]:
    value = node.value
    inside = _in_curly_quotes(node, text)
    if inside is not None:
        # what the person meant as a quoted text: from here on it is one, as if typed with "
        node.value, node.tag, node.style = inside, STR_TAG, '"'
        return []
    found = []
    line = node.start_mark.line + 1
    note = next((w for w in _WORD.finditer(value) if "#" in w[0] and not _URL.match(w[0])), None)
    if note is not None:
        stuck = value[note.start() + note[0].index("#") :]
        found.append(
            Noticed(
                where,
                line,
                f"{_short(stuck)} looks like a note stuck to the value; put a space before # "
                "(a note) or put the whole value in quotes if # belongs to it",
                mistake=True,
            )
        )
    cut = _CUT.match(text, node.end_mark.index)
    if cut:
        found.append(
            Noticed(
                where,
                node.end_mark.line + 1,
                f"the text after # on line {node.end_mark.line + 1} ({_short(cut[1])}) is "
                "taken for a note and left out; put the whole value in quotes if it belongs "
                "to it",
                mistake=False,
            )
        )
    return found


# “Let op: rustig aan” does not even parse (a second ": " in a plain value): the line where the
# parser stops, when its whole value is in curly quotes, is read again with straight ones.
# Only such a line: a line of a | block is never touched (it does not stop the parser).
MAX_RETYPED = 20  # lines, then the parser's own message
_CURLY_LINE = re.compile(
    r"(?P<head>[ \t]*(?:-[ \t]+)?(?:[^\s#:'\"-][^:#]*?:[ \t]+)?)"  # "notities: ", "- "
    r"(?P<open>[“‘„«])(?P<inside>.*)(?P<close>[”’“»])"
    r"(?P<tail>[ \t]+#.*|[ \t]*)"
)


def _straight_quoted(text: str, err: yaml.YAMLError) -> str | None:
    """text with the line where the parser stopped retyped in straight quotes, if that line's
    value is wholly in curly quotes; else None."""
    lines = text.splitlines(keepends=True)
    for mark in (getattr(err, "problem_mark", None), getattr(err, "context_mark", None)):
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line]
        body = line.rstrip("\r\n\x85\u2028\u2029")
        typed = _CURLY_LINE.fullmatch(body)
        if typed and typed["open"] + typed["close"] in CURLY_PAIRS:
            inside = typed["inside"].replace("'", "''")  # the one escape in single quotes
            lines[mark.line] = f"{typed['head']}'{inside}'{typed['tail']}{line[len(body) :]}"
            return "".join(lines)
    return None


def _in_curly_quotes(node: Any, text: str) -> str | None:
    """The text inside an editor's curly quotes around a whole plain value, else None.
    YAML cut “Afspraak #3 op 21-12” at its " #": the line as typed tells (a note may follow)."""
    value = node.value
    if len(value) >= 2 and value[0] + value[-1] in CURLY_PAIRS:
        return str(value[1:-1])
    if node.start_mark.line != node.end_mark.line:
        return None
    found = _LINE.match(text, node.start_mark.index)
    line = found[0] if found else ""
    for pair in CURLY_PAIRS:
        if value.startswith(pair[0]):
            opening, closing = re.escape(pair[0]), re.escape(pair[1])
            typed = re.fullmatch(f"{opening}(.*){closing}(?:[ \t]+#.*)?[ \t]*", line)
            if typed:
                return typed[1]
    return None


def _short(note: str) -> str:
    """The note as a message quotes it: whole, or its first words and …"""
    note = " ".join(note.split())
    if len(note) > NOTE_SHOWN:
        head = note[:NOTE_SHOWN]
        note = (head.rsplit(" ", 1)[0] if " " in head[10:] else head).rstrip(" ,;:") + "…"
    return repr(note)


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
                fix = (  # a value wholly in curly quotes was read again (_straight_quoted)
                    "curly quotes (“ ”) around part of a value or not closed; put the whole "
                    'value in straight quotes (notities: "Let op: rustig aan")'
                )
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
    """A text file of at most max_bytes: never reads more (/dev/zero, a 50 MB file), never
    opens what is not a regular file (a FIFO would block). Decoded as decode_text says."""
    return decode_text(read_bytes_limited(path, max_bytes, kind), str(path), "save it as UTF-8")


class _Undecodable(Exception):
    pass


def _utf8_else_cp1252(err: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 are read as Windows-1252: a file that Excel saved partly in
    each (a pasted cell) keeps "Zoë" in both, instead of "ZoÃ«" in one of them."""
    assert isinstance(err, UnicodeDecodeError)
    try:
        return err.object[err.start : err.end].decode("cp1252"), err.end
    except UnicodeDecodeError:
        raise _Undecodable from None


codecs.register_error("handouts-cp1252", _utf8_else_cp1252)


def decode_text(raw: bytes, source: str, advice: str) -> str:
    """Text as Windows editors save it: UTF-16 with a BOM (Notepad's and Excel's "Unicode");
    else UTF-8 (with or without BOM), any bytes that are not UTF-8 read as Windows-1252
    (Notepad's "ANSI", older Dutch and Belgian Excel). Bytes that are neither: advice."""
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig", errors="handouts-cp1252")
    except (UnicodeDecodeError, _Undecodable):
        raise InputError.single(
            source, "", f"is neither UTF-8 nor Windows-1252 text; {advice}"
        ) from None


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
