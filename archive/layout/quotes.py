"""Quote attributions: ``——title、title  name`` and ``— Name, Title``."""

from __future__ import annotations

import re

from archive.normalize import cjk_count

_DASH = re.compile(r"^\s*(?:——|—|―|--|–)\s*(?=\S)")
_TITLE_END = (
    "长|主席|特使|顾问|总干事|主管|代表|书记|总裁|委员|主任|部长|教授|研究员|经理|秘书|大使|负责人|专家|董事|"
    "院士|局长|司长|处长|理事|会长|总监|创始人|首席执行官|官员"
)


def is_attribution(line: str) -> bool:
    """Whether a line opens a quote attribution (starts with a dash and names someone)."""
    if not _DASH.match(line):
        return False
    rest = _DASH.sub("", line).strip()
    return 2 <= len(rest) <= 120 and bool(re.search(r"[^\W\d_]", rest)) and not rest.endswith(("。", "."))


def join_attribution(raw_lines: list[str]) -> str:
    """Join attribution lines, keeping a gap where the layout had one (before a name column).

    Args:
        raw_lines: The attribution's lines as extracted (outer whitespace kept).

    Returns:
        The attribution text without its dash.
    """
    out = ""
    previous = ""
    for raw in raw_lines:
        line = raw.strip()
        gap = raw[:1].isspace() or previous.rstrip("\r\n") != previous.rstrip()
        out = f"{out}  {line}" if out and gap else out + line
        previous = raw
    return _DASH.sub("", out).strip()


def parse_attribution(text: str) -> tuple[str, str]:
    """Split an attribution into (speaker, speaker title).

    Args:
        text: The attribution without its dash, e.g. ``亚洲开发银行副行长    范威斯`` or
            ``Erik Solheim, Senior Adviser, WRI``.

    Returns:
        (speaker, title); the title is '' when none is given.
    """
    text = text.strip()
    if cjk_count(text) == 0:
        name, _, title = text.partition(",")
        return name.strip(), title.strip()
    parts = re.split(r"\s{2,}|\u3000+", text)
    if len(parts) >= 2 and 1 < len(parts[-1]) <= 12:
        return parts[-1].strip(), "".join(p.strip() for p in parts[:-1])
    m = re.match(rf"^(.*(?:{_TITLE_END}))\s*(\S{{2,4}})$", text)
    if m:
        return m.group(2), m.group(1).strip()
    name, sep, title = re.split(r"[，,]", text, maxsplit=1)[0], "，" in text or "," in text, ""
    if sep and len(name) <= 6:
        return name.strip(), text[len(name) + 1 :].strip()
    parts = text.split()
    if len(parts) >= 2:
        return parts[-1], "".join(parts[:-1])
    return text, ""
