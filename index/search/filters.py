"""Search filters as data: one definition of their meaning, shared by all three modes.

A filter has a machine form (`matches`, used to build a boolean mask before ranking)
and a human form (`describe`, shown by the UI and the CLI).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from archive.model import Item


@dataclass(frozen=True)
class Filters:
    """Restrictions on which items may be ranked. Empty fields restrict nothing.

    Dates compare ISO strings; an item's span is ``[date, date_end or date]`` and it
    matches when the span overlaps ``[since, until]``. With a date filter active,
    undated items are excluded.
    """

    sections: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    bulletins: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    org: str = ""  # text the speaker's title must contain (an organisation, e.g. 世界资源研究所)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def matches(self, item: Item) -> bool:
        checks = (
            (self.sections, item.section),
            (self.kinds, item.kind),
            (self.bulletins, item.bulletin_id),
            (self.speakers, item.speaker),
            (self.sources, item.source),
            (self.langs, item.lang),
        )
        if any(allowed and value not in allowed for allowed, value in checks):
            return False
        if self.org and self.org not in item.speaker_title:
            return False
        return self._date_ok(item)

    def _date_ok(self, item: Item) -> bool:
        if not (self.since or self.until):
            return True
        if not item.date:
            return False
        start, end = item.date, item.date_end or item.date
        if self.since and end < self.since:
            return False
        return not (self.until and start > inclusive_end(self.until))

    def without(self, name: str) -> Filters:
        """The same filters with one field cleared (for facet counts of that field)."""
        return replace(self, **{name: "" if name in ("since", "until", "org") else ()})

    def describe(self, lang: str = "en") -> str:
        """Human form, e.g. 'in 观点与动态 · since 2019-10'."""
        labels = _LABELS_ZH if lang == "zh" else _LABELS_EN
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                shown = " / ".join(value) if isinstance(value, tuple) else value
                parts.append(f"{labels[f.name]} {shown}")
        return " · ".join(parts)



def inclusive_end(until: str) -> str:
    """'2019' -> '2019-99-99', '2019-11' -> '2019-11-99': a partial date covers its whole period."""
    return until if len(until) >= 10 else until + "-99-99"[len(until) - 4 :]


_LABELS_EN = {
    "sections": "in", "kinds": "kind", "bulletins": "bulletin", "speakers": "speaker",
    "sources": "source", "langs": "language", "since": "since", "until": "until", "org": "speaker's organisation",
}
_LABELS_ZH = {
    "sections": "栏目", "kinds": "类型", "bulletins": "简报", "speakers": "发言人",
    "sources": "来源", "langs": "语言", "since": "起", "until": "止", "org": "发言人机构",
}
