"""The shared filters of every analysis page, as data: parsed defensively from URL query
parameters, turned into a parameterised SQL predicate over ``v_passage``, and described in
words for exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from ..records import ACTOR_TYPES, KINDS
from ..reference import REGION_SCHEMES, Reference

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh", "und")
ACTOR_TYPE_LABELS = {
    "member_state": "Member State",
    "observer_state": "Observer State",
    "organization": "Organization",
    "private_sector": "Private sector",
    "academia": "Academia",
    "unodc": "UNODC",
}
KIND_LABELS = {
    "written_submission": "Written submission",
    "statement": "Statement",
    "recommendation_list": "Recommendation list",
    "comment": "Comment",
}
LANGUAGE_LABELS = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "ru": "Russian",
    "zh": "Chinese",
    "und": "Undetermined",
}
# URL parameter -> field
_PARAMS = {
    "meeting": "meetings",
    "topic": "topics",
    "scheme": "region_scheme",
    "region": "regions",
    "state": "states",
    "actor": "actor_types",
    "kind": "kinds",
    "lang": "languages",
}


NO_FILTERS_TEXT = "no filters (everything)"


@dataclass(frozen=True)
class Filters:
    """What a user has narrowed the view to. Empty means "all"."""

    meetings: tuple[int, ...] = ()
    topics: tuple[str, ...] = ()
    region_scheme: str = "regional_group"
    regions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # ISO3
    actor_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    def where(self, alias: str = "") -> tuple[str, list]:
        """A SQL predicate over ``v_passage`` (columns qualified by ``alias``) and its
        parameters. Identifiers come from fixed lists only; values are always bound."""
        prefix = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list = []
        for values, column in (
            (self.meetings, "meeting"),
            (self.states, "country_iso3"),
            (self.actor_types, "actor_type"),
            (self.kinds, "kind"),
            (self.languages, "language"),
        ):
            if values:
                clauses.append(f"list_contains(?, {prefix}{column})")
                params.append(list(values))
        if self.topics:
            clauses.append(f"list_has_any({prefix}topic_labels, ?)")
            params.append(list(self.topics))
        if self.regions:
            clauses.append(f"list_contains(?, {prefix}{self.region_column})")
            params.append(list(self.regions))
        return (" and ".join(clauses) or "true"), params

    @property
    def region_column(self) -> str:
        return self.region_scheme if self.region_scheme in REGION_SCHEMES else "regional_group"

    def without(self, *names: str) -> Filters:
        """The same filters with some dimensions cleared (e.g. a chart that shows topics
        as its own axis ignores the topic filter)."""
        return replace(self, **{name: () for name in names})

    def to_query_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for key, name in _PARAMS.items():
            value = getattr(self, name)
            if name == "region_scheme":
                if value != "regional_group":
                    params[key] = value
            elif value:
                params[key] = ",".join(str(v) for v in value)
        return params

    def describe(self, reference: Reference) -> str:
        """The filters in words, e.g. for a chart's provenance line."""
        parts = []
        if self.meetings:
            label = "meeting" if len(self.meetings) == 1 else "meetings"
            parts.append(f"{label} " + ", ".join(str(m) for m in self.meetings))
        if self.topics:
            parts.append("topics: " + ", ".join(reference.topics[t].label for t in self.topics))
        if self.regions:
            parts.append(f"{REGION_SCHEMES[self.region_column]}: " + ", ".join(self.regions))
        if self.states:
            parts.append("States: " + ", ".join(reference.countries[s].name for s in self.states))
        if self.actor_types:
            parts.append("submitters: " + ", ".join(ACTOR_TYPE_LABELS[a] for a in self.actor_types))
        if self.kinds:
            parts.append("documents: " + ", ".join(KIND_LABELS[k] for k in self.kinds))
        if self.languages:
            parts.append(
                "languages: " + ", ".join(LANGUAGE_LABELS[lang] for lang in self.languages)
            )
        return "; ".join(parts) or NO_FILTERS_TEXT


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values: list[str] = []
    for item in items:
        values += [part.strip() for part in str(item).split(",") if part.strip()]
    return values[:300]  # a URL cannot make us loop without bound


def known_regions(reference: Reference, scheme: str) -> set[str]:
    """The regions of a region scheme (those its States belong to)."""
    return {getattr(c, scheme) for c in reference.countries.values()} - {""}


def parse_filters(params: Mapping[str, object], reference: Reference) -> Filters:
    """Filters from URL query parameters. Anything unknown is dropped with a notice;
    nothing in a URL is ever evaluated."""
    notices: list[str] = []
    chosen: dict[str, object] = {}

    def keep(name: str, values: list[str], allowed, label: str, convert=str) -> None:
        good = []
        for value in values:
            try:
                converted = convert(value)
            except ValueError:
                converted = None
            if converted is not None and converted in allowed:
                if converted not in good:
                    good.append(converted)
            else:
                notices.append(f"Ignored the unknown {label} '{value[:40]}' in the link.")
        chosen[name] = tuple(good)

    scheme = _values(params.get("scheme"))
    if scheme and scheme[0] in REGION_SCHEMES:
        chosen["region_scheme"] = scheme[0]
    elif scheme:
        notices.append(f"Ignored the unknown region scheme '{scheme[0][:40]}' in the link.")
    region_scheme = str(chosen.get("region_scheme", "regional_group"))
    regions = known_regions(reference, region_scheme)
    keep("meetings", _values(params.get("meeting")), set(reference.meetings), "meeting", int)
    keep("topics", _values(params.get("topic")), set(reference.topics), "topic")
    keep("regions", _values(params.get("region")), regions, "region")
    keep(
        "states",
        [v.upper() for v in _values(params.get("state"))],
        set(reference.countries),
        "State",
    )
    keep("actor_types", _values(params.get("actor")), set(ACTOR_TYPES), "submitter type")
    keep("kinds", _values(params.get("kind")), set(KINDS), "document kind")
    keep("languages", _values(params.get("lang")), set(LANGUAGES), "language")
    valid = {f.name for f in fields(Filters)}
    return Filters(**{k: v for k, v in chosen.items() if k in valid}, notices=tuple(notices))
