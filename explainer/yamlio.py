"""The only module that imports yaml: a safe loader that keeps line numbers.

Annotations are hand-written, so the loader is stricter than PyYAML's defaults:
- YAML 1.1 reads bare ``yes``/``no``/``on``/``off`` as booleans, which would silently turn a
  vote ``yes`` into ``True``; here only ``true``/``false`` are booleans (as in YAML 1.2).
- duplicate keys are an error (PyYAML keeps the last one without a word);
- aliases are refused, which also defuses "billion laughs" documents;
- mappings and sequences remember where each key and item starts, for error messages;
- only plain values: text, numbers, true/false, null, lists and mappings (tags such as
  ``!!binary``, ``!!set`` or ``!!timestamp`` are refused, dates are parsed by the schema);
- nesting deeper than MAX_NESTING levels is refused before composing (issue #17: libyaml's
  composer recurses once per level and a 30,000-deep list killed the process);
- the text is decoded here, by one rule: UTF-8 (or UTF-16/32 with a byte order mark), line
  ends made ``\n``, and no control character that XML or HTML output cannot carry.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import yaml

from .errors import Diagnostic, Location, Severity, YamlError
from .positions import LineDict, LineList

try:  # the C parser is 10-14x faster; fall back where libyaml is missing
    _BaseLoader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = yaml.CSafeLoader
    _BaseDumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper

MAX_YAML_BYTES = 2_000_000
MAX_NESTING = 100  # levels of lists and mappings in one document; annotations use about five


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    line_offset = 0  # lines before the YAML in its file (front matter), added to every position


_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
# Dates stay strings too: the schema parses them, so "2025-02-30" gets a located message
# instead of the ValueError PyYAML's timestamp constructor would raise.
_DROPPED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL_1_2, list("tTfF"))
# Tags whose values have no place in annotations: refused by name rather than turned into
# bytes, sets, pairs or datetimes that the schema would accept or mangle without a word.
_REFUSED_TAGS = {"binary", "set", "omap", "pairs", "timestamp", "merge", "yaml"}
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _at(loader: _Loader, node: yaml.Node) -> tuple[int, int]:
    line, col = _mark(node)
    return (line + loader.line_offset, col)


class _DuplicateKey(Exception):
    def __init__(self, key: Any, node: yaml.Node, first: tuple[int, int]) -> None:
        super().__init__(key)
        self.key, self.node, self.first = key, node, first


class _BadKey(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("key")
        self.node = node


class _BadValue(Exception):
    def __init__(self, node: yaml.Node, problem: str, hint: str = "quote it if it is text, or shorten it") -> None:
        super().__init__(problem)
        self.node, self.problem, self.hint = node, problem, hint


_STR_TAG = "tag:yaml.org,2002:str"


def _construct_value(loader: _Loader, node: yaml.Node) -> Any:
    """Construct one value; a value Python cannot hold (a 5,000-digit number) names its line."""
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        # What PyYAML's str constructor returns, without its per-node bookkeeping (which only
        # serves aliases, refused here): most values of annotations are text. Only a
        # double-quoted scalar can hold an escape ("\0", "\x01") the text scan did not see.
        if node.style == '"':
            _refuse_escaped_control(node)
        return node.value
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:
        raise _BadValue(node, str(exc).split(";")[0].splitlines()[0]) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line, result.col = _at(loader, node)
    result.key_pos = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE_TAG:
            raise _BadValue(key_node, "YAML merge keys (<<) are not supported", "write the keys out in full")
        if not isinstance(key_node, yaml.ScalarNode):
            raise _BadKey(key_node)
        key = _construct_value(loader, key_node)
        if key in result.key_pos:
            raise _DuplicateKey(key, key_node, result.key_pos[key])
        result.key_pos[key] = _at(loader, key_node)
        result[key] = _construct_value(loader, value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(_construct_value(loader, child) for child in node.value)
    result.line, result.col = _at(loader, node)
    result.item_pos = [_at(loader, child) for child in node.value]
    return result


def _refuse_tag(loader: _Loader, node: yaml.Node) -> Any:
    name = node.tag.rsplit(":", 1)[-1]
    raise _BadValue(node, f"the YAML tag !!{name} is not supported: only plain text, numbers, true/false, "
                          "null, lists and mappings are",
                    "remove the tag; write dates plain, as YYYY-MM-DD" if name == "timestamp" else "remove the tag")


def _refuse_escaped_control(node: yaml.ScalarNode) -> None:
    found = _FORBIDDEN.search(node.value)
    if found is not None:
        raise _BadValue(node, f"the text holds {_describe(found.group())}, written as an escape",
                        "remove the escape; only printable text, tabs and line breaks are allowed")


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# A key written "=" resolves to YAML 1.1's value tag; it is only text here.
_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: node.value)
for _name in _REFUSED_TAGS:
    _Loader.add_constructor(f"tag:yaml.org,2002:{_name}", _refuse_tag)


def _refuse_aliases(root: yaml.Node) -> None:
    """Raise on a node reached twice: that is what an alias (*name) produces."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _AliasFound(node)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _AliasFound(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("alias")
        self.node = node


def _diag(path: str, line: int, col: int, message: str, hint: str) -> YamlError:
    return YamlError(Diagnostic(Severity.ERROR, "yaml", message, Location(path, line, col), hint))


# Characters no output may carry: C0 controls but tab and newline (carriage returns are made
# newlines first), DEL, C1 controls, surrogates and U+FFFE/U+FFFF. XML 1.0 forbids most of
# them (a feed holding one is not well-formed) and HTML treats all as parse errors.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _describe(char: str) -> str:
    """'the control character U+000B (VERTICAL TAB)', 'the noncharacter U+FFFF'..."""
    code = ord(char)
    kind = "surrogate" if 0xD800 <= code <= 0xDFFF else "noncharacter" if code > 0xFFFD else "control character"
    name = f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else ""
    return f"the invisible {kind} U+{code:04X}{name}"


def decode_text(data: bytes, path: str) -> str:
    """The text of a file: UTF-8 (with or without BOM), or UTF-16/32 with a byte order mark;
    line ends made "\n" (CRLF and lone CR count as one line end, so line numbers stay those
    of the editor). A byte that does not decode, or a control character, is refused with its
    line and column."""
    encoding = next((name for mark, name in _BYTE_ORDER_MARKS if data.startswith(mark)), "utf-8-sig")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        shown = encoding.upper().replace("-SIG", "")
        raise _diag(
            path, line, 0, f"the file is not valid {shown} (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8 in your editor",
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _FORBIDDEN.search(text)
    if found is not None:
        raise _control_error(text, found.start(), path)
    return text


def _control_error(text: str, index: int, path: str) -> YamlError:
    line_start = text.rfind("\n", 0, index) + 1
    line, col = text.count("\n", 0, index) + 1, index - line_start + 1
    char = text[index]
    hint = "delete it (it was probably pasted along with the text); tabs and line breaks are fine"
    if char == "\x00":
        hint = "the file may be binary, or saved as UTF-16 without a byte order mark: save it as UTF-8 text"
    return YamlError(Diagnostic(Severity.ERROR, "text", f"the text contains {_describe(char)}",
                                Location(path, line, col), hint))


def _check_nesting(text: str, path: str, line_offset: int) -> None:
    """Refuse a document nested deeper than MAX_NESTING before it is composed.

    Cheap bound first: flow nesting is at most the number of '[' and '{', and block nesting at
    most twice the column where the deepest collection starts (each two levels move right),
    which is within the run of spaces and '-', '?', ':' indicators that begins its line. Only
    a document over either threshold is counted exactly, from the parser's events (libyaml's
    parser keeps a stack; its composer is what recurses).
    """
    openers = text.count("[") + text.count("{")
    if openers <= MAX_NESTING // 2 and _DEEP_LINE.search(text) is None:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    mark = event.start_mark
                    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 0)
                    raise _diag(path, line + line_offset, col,
                                f"the YAML is nested more than {MAX_NESTING} levels deep",
                                "flatten the structure: annotations need a few levels at most")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # composing reports it, with the usual message (it stops there, not deeper)


_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{MAX_NESTING // 4},}}", re.MULTILINE)


def load_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse one YAML document; problems raise YamlError with path and line.

    ``line_offset`` shifts reported lines, for YAML embedded in a file (front matter).
    """
    if len(text) > MAX_YAML_BYTES:
        raise _diag(
            path, 1 + line_offset, 0,
            f"the YAML is {len(text):,} characters long, over the limit of {MAX_YAML_BYTES:,}",
            "split it into several files",
        )
    _check_nesting(text, path, line_offset)
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text:  # an alias needs an anchor (&name) first; an undefined one fails to parse
            _refuse_aliases(node)
        return loader.construct_document(node)
    except _DuplicateKey as exc:
        line, col = _mark(exc.node)
        raise _diag(
            path, line + line_offset, col, f"duplicate key {exc.key!r} (first at line {exc.first[0]})",
            "keep one of them: YAML would silently drop the first",
        ) from None
    except _BadKey as exc:
        line, col = _mark(exc.node)
        raise _diag(path, line + line_offset, col, "a key must be plain text, not a list or mapping",
                    "write the key as a single word or quoted string") from None
    except _BadValue as exc:
        line, col = _mark(exc.node)
        raise _diag(path, line + line_offset, col, f"invalid value: {exc.problem}", exc.hint) from None
    except _AliasFound as exc:
        line, col = _mark(exc.node)
        raise _diag(path, line + line_offset, col, "YAML aliases (*name) are not supported",
                    "write the value out in full") from None
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc, text, path, line_offset) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 + line_offset
        raise _diag(path, line, 0, f"invalid YAML: {exc.reason} (character {exc.character!r})",
                    "remove the control character; YAML allows printable text, tabs and newlines") from None
    except yaml.YAMLError as exc:
        raise _diag(path, 1 + line_offset, 0, f"invalid YAML: {str(exc).splitlines()[0]}",
                    "check the file's syntax") from None
    except (ValueError, TypeError, OverflowError) as exc:
        first = str(exc).split(";")[0].splitlines()[0]
        raise _diag(path, 1 + line_offset, 0, f"invalid YAML value: {first}", "check the values in this file") from None
    except RecursionError:
        raise _diag(path, 1 + line_offset, 0, "the YAML is nested too deeply", "flatten the structure") from None
    finally:
        loader.dispose()


def _marked_error(exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> YamlError:
    """Locate a syntax error where the editor must look.

    An unclosed quote or bracket is reported by the parser at the end of the file; the place it
    was opened (the context mark) is the useful line then.
    """
    problem = str(exc.problem or exc.context or "invalid YAML")
    use_context = exc.context_mark is not None and ("end of stream" in problem or exc.problem_mark is None)
    mark = exc.context_mark if use_context else (exc.problem_mark or exc.context_mark)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 0)
    message = f"invalid YAML: {exc.context}, {problem}" if use_context and exc.context else f"invalid YAML: {problem}"
    source_line = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
    if "\t" in source_line[: max(col, 1) + 1] or "\\t" in problem:
        hint = "YAML indents with spaces, never tabs: replace the tab on this line with spaces"
    elif use_context:
        hint = "close the quote or bracket opened here"
    else:
        hint = "check the indentation and quoting on this line"
    return _diag(path, line + line_offset, col, message, hint)


def dump_yaml(data: Any) -> str:
    """Write data as block-style YAML in the order given, readable by load_yaml."""
    return str(yaml.dump(data, Dumper=_BaseDumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=100))
