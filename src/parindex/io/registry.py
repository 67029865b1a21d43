"""The registry of rule kinds and rulesets contributed by plugins, with strict year resolution."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.io.loading import load_ruleset_file
from parindex.io.plugins import DISABLE_ENV, PluginHost, PluginStatus
from parindex.io.ruleset_header import Header, read_header
from parindex.model.documents import Ruleset
from parindex.model.errors import (
    ParindexError,
    PluginError,
    RulesetError,
    UnknownRulesetError,
    YearNotCoveredError,
)
from parindex.model.rules import Rule
from parindex.model.sources import RulesetSource

if TYPE_CHECKING:
    # Imported when the groupings are asked for (a batch, `parindex plugins`): a score needs none.
    from parindex.model.group_rules import Grouping


@dataclass
class _Entry:
    plugin: str
    source: RulesetSource | None
    ruleset: Ruleset | None = None
    error: ParindexError | None = None
    #: The file's version and years as its header declares them (None: unreadable that way).
    header: Header | None = None
    scanned: bool = False


class Registry:
    """Everything the plugins provide. Ruleset files are parsed on first use, then cached."""

    def __init__(self, plugins: Iterable[object] = (), *, entry_points: bool = True) -> None:
        self.host = PluginHost(plugins, entry_points=entry_points)
        self._kinds: dict[str, type[Rule]] | None = None
        self._groupings: dict[str, Grouping] | None = None
        #: grouping name → the plugin that registered it
        self.grouping_plugins: dict[str, str] = {}
        self._maps: dict[str, Path] | None = None
        self._entries: dict[str, list[_Entry]] | None = None
        #: Entries being read right now (an amendment reads its base while it is being read).
        self._loading: set[int] = set()
        #: (ruleset id, version) that plugins provide with different content → those plugins
        self.conflicts: dict[tuple[str, str], tuple[list[str], tuple[int, ...]]] = {}

    # ------------------------------------------------------------------ rule kinds
    @property
    def rule_kinds(self) -> dict[str, type[Rule]]:
        if self._kinds is None:
            kinds: dict[str, type[Rule]] = {}
            for plugin, item in self.host.collect("parindex_rule_kinds"):
                name = _kind_name(item)
                if name is None:
                    self.host.report(plugin, f"{item!r} is not a Rule subclass with a kind")
                elif name in kinds and kinds[name] is not item:
                    self.host.report(plugin, f"rule kind {name!r} is already registered")
                else:
                    kinds[name] = item
            self._kinds = kinds
        return self._kinds

    # ------------------------------------------------------------------ batch groupings
    @property
    def groupings(self) -> dict[str, Grouping]:
        """The batch-relative groupings the plugins register, by name."""
        if self._groupings is None:
            from parindex.model.group_rules import Grouping

            found: dict[str, Grouping] = {}
            claimed: dict[str, str] = {}  # ruleset id → grouping
            for plugin, item in self.host.gather("parindex_group_rules", _appender):
                if not isinstance(item, Grouping):
                    self.host.report(plugin, f"{item!r} is not a parindex.model Grouping")
                    continue
                if item.name in found:
                    self.host.report(plugin, f"grouping {item.name!r} is already registered")
                    continue
                taken = [r for r in item.rulesets if r in claimed]
                if taken:
                    self.host.report(
                        plugin,
                        f"grouping {item.name!r} skipped: ruleset {taken[0]!r} is already"
                        f" grouped by {claimed[taken[0]]!r}",
                    )
                    continue
                found[item.name] = item
                self.grouping_plugins[item.name] = plugin
                claimed.update(dict.fromkeys(item.rulesets, item.name))
            self._groupings = found
        return self._groupings

    def grouping_of(self, ruleset_id: str) -> Grouping | None:
        """The grouping whose groups ``ruleset_id`` has across a batch, if a plugin names one."""
        return next((g for g in self.groupings.values() if ruleset_id in g.rulesets), None)

    # ------------------------------------------------------------------ responsibility maps
    @property
    def responsibility_maps(self) -> dict[str, Path]:
        """The responsibility maps the plugins ship, by name (the file's stem)."""
        if self._maps is None:
            maps: dict[str, Path] = {}
            for plugin, item in self.host.collect("parindex_responsibility_maps"):
                if not isinstance(item, (str, Path)):
                    self.host.report(plugin, f"{item!r} is not the path of a responsibility map")
                    continue
                path = Path(item)
                if path.stem in maps and maps[path.stem] != path:
                    self.host.report(plugin, f"responsibility map {path.stem!r} is already shipped")
                    continue
                maps[path.stem] = path
            self._maps = dict(sorted(maps.items()))
        return self._maps

    # ------------------------------------------------------------------ commands
    def command_registrations(self) -> list[tuple[str, CommandRegistration]]:
        """What the plugins' ``parindex_register_commands`` hooks register, in plugin order.

        Asked anew on every call: each command-line parser applies them to its own sub-parsers.
        """
        return [
            (plugin, item)
            for plugin, item in self.host.gather("parindex_register_commands", _CommandBuffer)
        ]

    # ------------------------------------------------------------------ rulesets
    def _index(self) -> dict[str, list[_Entry]]:
        if self._entries is None:
            entries: dict[str, list[_Entry]] = {}
            loose: list[_Entry] = []
            for plugin, item in self.host.collect("parindex_rulesets"):
                entry = self._entry(plugin, item)
                if entry is None:
                    continue
                rid = (
                    entry.ruleset.id
                    if entry.ruleset
                    else (entry.source.ruleset_id if entry.source else None)
                )
                if rid is None and entry.source is not None:
                    loose.append(entry)
                    continue
                entries.setdefault(str(rid), []).append(entry)
            self._entries = entries
            # Files without a known id are read once the index exists: an amendment among them
            # may look up its base in it.
            for entry in loose:
                assert entry.source is not None
                self._load(entry)
                rid = entry.ruleset.id if entry.ruleset else f"(unreadable {entry.source.path})"
                entries.setdefault(rid, []).append(entry)
        return self._entries

    def _entry(self, plugin: str, item: Any) -> _Entry | None:
        if isinstance(item, Ruleset):
            return _Entry(plugin, None, item)
        if isinstance(item, (str, Path)):
            return _Entry(plugin, RulesetSource(Path(item)))
        if isinstance(item, RulesetSource):
            return _Entry(plugin, item)
        self.host.report(plugin, f"parindex_rulesets returned {item!r}, not a ruleset or path")
        return None

    def _load(self, entry: _Entry) -> None:
        if entry.ruleset is not None or entry.error is not None or entry.source is None:
            return
        self._loading.add(id(entry))
        try:
            entry.ruleset = load_ruleset_file(
                entry.source.path, self.rule_kinds, resolve=self.resolve_base
            )
        except ParindexError as err:
            entry.error = err
            self.host.report(entry.plugin, f"invalid ruleset skipped: {err}")
        finally:
            self._loading.discard(id(entry))
        if (
            entry.ruleset
            and entry.source.ruleset_id
            and entry.ruleset.id != entry.source.ruleset_id
        ):
            entry.error = RulesetError(
                f"file declares id {entry.ruleset.id!r} but sits in folder"
                f" {entry.source.ruleset_id!r}",
                file=entry.source.path,
                line=1,
            )
            self.host.report(entry.plugin, f"invalid ruleset skipped: {entry.error}")
            entry.ruleset = None

    def resolve_base(self, ruleset_id: str, version: str) -> Ruleset:
        """Version ``version`` of ``ruleset_id``, as the base of an amendment (``extends``).

        Found by its exact version, not by year. A file named after the version is read first,
        so a base is usually found without reading the other versions.
        """
        entries = self._index().get(ruleset_id)
        if not entries:
            known = ", ".join(self.ids()) or "none"
            raise UnknownRulesetError(f"unknown ruleset {ruleset_id!r}; known rulesets: {known}")
        named = [e for e in entries if e.source is not None and e.source.path.stem == version]
        first = {id(e) for e in named}
        busy = False
        for e in [*named, *(e for e in entries if id(e) not in first)]:
            if id(e) in self._loading:
                busy = True
                continue
            self._load(e)
            if e.ruleset is not None and e.ruleset.version == version:
                # another plugin's file of this version (or object), different: refused
                twins = [t for t in entries if t is not e and (id(t) in first or t.source is None)]
                self._check_twins(ruleset_id, version, e, twins)
                return e.ruleset
            if e.error is not None and id(e) in first:
                raise RulesetError(f"the base {ruleset_id} version {version} is invalid: {e.error}")
        known = ", ".join(sorted({e.ruleset.version for e in entries if e.ruleset is not None}))
        raise UnknownRulesetError(
            f"ruleset {ruleset_id!r} has no version {version!r}"
            + (f"; versions: {known}" if known else "")
            + (" (a version cannot extend itself, directly or through others)" if busy else "")
        )

    def add(self, ruleset: Ruleset, plugin: str = "(added in code)") -> None:
        """Register a ruleset object directly (e.g. one built in a test or another program)."""
        self._index().setdefault(ruleset.id, []).append(_Entry(plugin, None, ruleset))

    def ids(self) -> list[str]:
        return sorted(self._index())

    def versions(self, ruleset_id: str) -> list[Ruleset]:
        """Every valid version of ``ruleset_id``, by first year. Invalid files are reported."""
        entries = self._index().get(ruleset_id)
        if not entries:
            known = ", ".join(self.ids()) or "none"
            raise UnknownRulesetError(f"unknown ruleset {ruleset_id!r}; known rulesets: {known}")
        for e in entries:
            self._load(e)
        if not any(e.ruleset is not None for e in entries):
            first = next(e.error for e in entries if e.error is not None)
            assert first is not None
            raise first
        good = self._one_per_version(ruleset_id, entries)
        good.sort(key=lambda r: (min(r.years), r.version))
        seen: dict[int, str] = {}
        for r in good:
            for y in r.years:
                if y in seen and seen[y] != r.version:
                    raise RulesetError(
                        f"versions {seen[y]!r} and {r.version!r} of {ruleset_id} both cover {y}"
                    )
                seen[y] = r.version
        return good

    def _one_per_version(self, ruleset_id: str, entries: list[_Entry]) -> list[Ruleset]:
        """One ruleset per version. Two plugins (or one, twice) giving the same id and version
        with different content is a conflict: reported under each plugin's name, and that
        version is left out (asking for it is refused, naming the plugins)."""
        by_version: dict[str, list[_Entry]] = {}
        for e in entries:
            if e.ruleset is not None:
                by_version.setdefault(e.ruleset.version, []).append(e)
        out: list[Ruleset] = []
        for version, same in by_version.items():
            first = same[0]
            assert first.ruleset is not None
            if len(same) == 1 or all(
                # the content, not the objects (a cached lookup table may differ)
                e.ruleset is not None and e.ruleset.model_dump() == first.ruleset.model_dump()
                for e in same[1:]
            ):
                out.append(first.ruleset)
                continue
            plugins = sorted(e.plugin for e in same)
            years = tuple(sorted({y for e in same if e.ruleset for y in e.ruleset.years}))
            if (ruleset_id, version) not in self.conflicts:
                self.conflicts[(ruleset_id, version)] = (plugins, years)
                for plugin in dict.fromkeys(plugins):
                    others = ", ".join(p for p in plugins if p != plugin) or "this plugin, twice"
                    self.host.report(
                        plugin,
                        f"ruleset {ruleset_id} version {version} is also provided, different,"
                        f" by {others}: neither is used",
                    )
        return out

    def _check_twins(
        self, ruleset_id: str, version: str, found: _Entry, others: list[_Entry]
    ) -> None:
        same = [found]
        for other in others:
            if id(other) not in self._loading:
                self._load(other)
                if other.ruleset is not None and other.ruleset.version == version:
                    same.append(other)
        if len(same) > 1:
            self._one_per_version(ruleset_id, same)
            self._refuse_conflict(ruleset_id, version, None)

    def _refuse_conflict(self, ruleset_id: str, version: str | None, year: int | None) -> None:
        for (rid, v), (plugins, years) in self.conflicts.items():
            if rid == ruleset_id and (v == version or (version is None and year in years)):
                raise RulesetError(
                    f"ruleset {rid} version {v} is provided by more than one plugin, with"
                    f" different content: {', '.join(plugins)}; parindex will not pick one",
                    field="ruleset",
                    hint=f"pick one: disable the others with {DISABLE_ENV}=name, or give the"
                    " ruleset file with --ruleset",
                )

    def years(self, ruleset_id: str) -> list[int]:
        return sorted({y for r in self.versions(ruleset_id) for y in r.years})

    def get(self, ruleset_id: str, year: int | None = None, version: str | None = None) -> Ruleset:
        """The version of ``ruleset_id`` that covers ``year`` (strict: no nearest-year guess)."""
        found = self._by_headers(ruleset_id, year, version)
        if found is not None:
            return found
        versions = self.versions(ruleset_id)
        if version is not None:
            for r in versions:
                if r.version == version:
                    if year is not None and year not in r.years:
                        raise YearNotCoveredError(ruleset_id, year, list(r.years))
                    return r
            self._refuse_conflict(ruleset_id, version, year)
            raise UnknownRulesetError(
                f"ruleset {ruleset_id!r} has no version {version!r}; versions:"
                f" {', '.join(r.version for r in versions)}"
            )
        if year is None:
            # the latest version may be one in conflict: refuse rather than fall back to another
            newer = [
                v
                for (rid, v), (_, years) in self.conflicts.items()
                if rid == ruleset_id and (not versions or min(years) > min(versions[-1].years))
            ]
            if newer:
                self._refuse_conflict(ruleset_id, newer[0], None)
            return versions[-1]
        for r in versions:
            if year in r.years:
                return r
        self._refuse_conflict(ruleset_id, None, year)
        error = YearNotCoveredError(ruleset_id, year, self.years(ruleset_id))
        if versions and year > max(self.years(ruleset_id)):
            from parindex.io.reference_data import abolished_reason  # reference data (issue 16)

            error.hint = abolished_reason(versions[-1].unit_kind, year, self) or error.hint
        raise error

    def _by_headers(self, ruleset_id: str, year: int | None, version: str | None) -> Ruleset | None:
        """What :meth:`get` returns, found from the versions' headers (:mod:`.ruleset_header`)
        by parsing the one version asked for; None when the headers cannot decide, and then
        :meth:`versions` reads them all. They decide only when every version's header is read,
        no two of them share a year or a version (an overlap, a conflict or an invalid file
        among them is for the full reading to report or skip), exactly one fits, and it is valid
        and declares what its header said."""
        entries = self._index().get(ruleset_id)
        if not entries or any(rid == ruleset_id for rid, _ in self.conflicts):
            return None
        heads: list[tuple[_Entry, Header]] = []
        years: set[int] = set()
        names: set[str] = set()
        for e in entries:
            if e.error is not None:
                continue  # known invalid: skipped by the full reading too
            head = self._header(e)
            if head is None or head.version in names or not years.isdisjoint(head.years):
                return None
            names.add(head.version)
            years.update(head.years)
            heads.append((e, head))
        if not heads:
            return None
        if version is not None:
            fits = [(e, h) for e, h in heads if h.version == version]
        elif year is None:  # the latest, as versions() orders them
            fits = [max(heads, key=lambda eh: (min(eh[1].years), eh[1].version))]
        else:
            fits = [(e, h) for e, h in heads if year in h.years]
        if len(fits) != 1:
            return None
        entry, head = fits[0]
        self._load(entry)
        ruleset = entry.ruleset
        if ruleset is None or (ruleset.version, tuple(ruleset.years)) != (head.version, head.years):
            return None
        if year is not None and year not in ruleset.years:
            return None  # a version that does not cover the year: refused by the full reading
        return ruleset

    def _header(self, entry: _Entry) -> Header | None:
        if entry.ruleset is not None:
            return Header(entry.ruleset.version, tuple(entry.ruleset.years))
        if entry.source is None:
            return None
        if not entry.scanned:
            entry.header = read_header(entry.source.path)
            entry.scanned = True
        return entry.header

    def errors(self) -> list[tuple[str, ParindexError]]:
        """Load every ruleset file and list the ones that failed, by plugin."""
        out = []
        for entries in self._index().values():
            for e in entries:
                self._load(e)
                if e.error is not None:
                    out.append((e.plugin, e.error))
        return out

    def plugins(self) -> list[PluginStatus]:
        _ = self.rule_kinds, self.groupings, self.responsibility_maps
        self.errors()
        for ruleset_id in list(self._index()):  # finds versions given twice, reported by plugin
            with contextlib.suppress(ParindexError):
                self.versions(ruleset_id)
        return sorted(self.host.status.values(), key=lambda s: s.name)

    def default_rule(self) -> type[Rule]:
        kind = self.rule_kinds.get("points")
        if kind is None:
            raise PluginError(
                "no 'points' rule kind is registered: is parindex_core_rules"
                " disabled or broken? see `parindex plugins`"
            )
        return kind


def _appender(items: list[Any]) -> Callable[[Any], None]:
    return items.append


@dataclass(frozen=True)
class CommandRegistration:
    """One thing a plugin's commands hook asked for: a new sub-command (``extends`` is None) or
    options added to the existing command ``extends``."""

    name: str
    configure: Callable[..., None]
    options: dict[str, Any] = field(default_factory=dict)
    extends: str | None = None


class _CommandBuffer:
    """The ``register`` a commands hook gets: it only records, so a hook that fails half-way
    leaves nothing behind (see :meth:`PluginHost.gather`)."""

    def __init__(self, items: list[Any]) -> None:
        self._items = items

    def __call__(self, name: str, configure: Callable[..., None], **parser_options: Any) -> None:
        self._items.append(CommandRegistration(name, configure, dict(parser_options)))

    def extend(self, command: str, configure: Callable[..., None]) -> None:
        self._items.append(CommandRegistration(command, configure, extends=command))


def _kind_name(item: Any) -> str | None:
    if not (isinstance(item, type) and issubclass(item, Rule)):
        return None
    field = item.model_fields.get("kind")
    default = field.default if field is not None else None
    return default if isinstance(default, str) else None


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry built from installed plugins (created on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry()
    return _DEFAULT


def reset_default_registry() -> None:
    global _DEFAULT
    _DEFAULT = None
