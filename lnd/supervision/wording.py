"""The standard wording of each kind of supervision agreement, and who counts as newly qualified,
read from seed/supervision_agreements.yaml (data, not code: the wording changes with policy)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app

from lnd.supervision.rules import FREQUENCIES, KINDS

FILENAME = "supervision_agreements.yaml"


class WordingError(Exception):
    pass


@dataclass(frozen=True)
class KindWording:
    kind: str
    frequency: str
    observation_of_practice: bool
    purpose: str
    terms: str


@dataclass(frozen=True)
class Wording:
    kinds: dict[str, KindWording]
    newly_qualified_job_roles: frozenset[str]

    def of(self, kind: str) -> KindWording:
        return self.kinds[kind]


class _Blank(dict):
    """Placeholders the text does not fill stay as written, so a typo in the seed never breaks a page."""

    def __missing__(self, key):
        return "{" + key + "}"


def fill(text: str, **values: str) -> str:
    return text.format_map(_Blank(values)).strip()


@lru_cache(maxsize=8)
def load(seed_dir: str) -> Wording:
    path = Path(seed_dir) / FILENAME
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise WordingError(f"{FILENAME} could not be read: {error}") from None
    entries = data.get("kinds") or {}
    missing = sorted(set(KINDS) - set(entries))
    if missing:
        raise WordingError(f"{FILENAME} has no wording for: {', '.join(missing)}")
    kinds = {}
    for kind in KINDS:
        entry = entries[kind] or {}
        frequency = entry.get("frequency", "monthly")
        if frequency not in FREQUENCIES:
            raise WordingError(f"{FILENAME}: {kind} has frequency '{frequency}'; use one of {', '.join(FREQUENCIES)}")
        kinds[kind] = KindWording(kind=kind, frequency=frequency,
                                  observation_of_practice=bool(entry.get("observation_of_practice")),
                                  purpose=str(entry.get("purpose") or "").strip(),
                                  terms=str(entry.get("terms") or "").strip())
    roles = frozenset(str(name) for name in data.get("newly_qualified_job_roles") or [])
    return Wording(kinds=kinds, newly_qualified_job_roles=roles)


def current() -> Wording:
    return load(str(current_app.config["SEED_DIR"]))
