"""Scenario parameter files (``params/*.yaml``): load, validate, freeze, write back.

A parameter file is at once a papermill parameter file (its top-level keys are
the notebook parameters) and the input of the savings model. It gives only
what differs from the contract baseline (contract section 3); the loader
merges it with :data:`DEFAULTS`, validates every key and returns a frozen,
hashable :class:`Scenario`.

Nothing in a parameter file is executed: it is read with ``yaml.safe_load``
semantics, explicit YAML tags (``!!python/...``, ``!!str``...) and duplicated
keys are refused. Every refusal raises :class:`~incubo_analysis.errors.ParameterError`
with one line naming the file and the key path (or the line and column of a
YAML syntax error).

Units: amounts in k€ per FTE and per year, FTE counts, shares and rates as
decimals (0.045 is 4.5 %), years as integers.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    model_validator,
)

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.errors import ParameterError
from incubo_analysis.io import atomic_write_text
from incubo_analysis.paths import BASELINE_PARAMS

__all__ = [
    "FrozenMap",
    "Uniform",
    "Triangular",
    "Normal",
    "Discrete",
    "Distribution",
    "Scenario",
    "DEFAULTS",
    "PARAMETER_KEYS",
    "UNCERTAIN_PARAMETERS",
    "load_scenario",
    "scenario_from_mapping",
    "scenario_to_yaml",
    "baseline",
    "save_scenario", "scenario_file_path",
]

#: Allowed top-level keys of a parameter file (the notebook parameters).
PARAMETER_KEYS: tuple[str, ...] = (
    "name",
    "description",
    "unit_cost_keur",
    "unit_cost_growth",
    "etp",
    "phasing",
    "delay_years",
    "lever_delay_years",
    "realisation_rate",
    "discount_rate",
    "base_year",
    "horizon_end",
    "uncertainty",
)

#: Domain (low, high), inclusive, of every number of a scenario, by key (``etp`` and
#: ``lever_delay_years``: each lever; ``phasing``: each share). Generous for any real use,
#: and small enough that every accepted scenario gives finite savings and metrics
#: (docs/assumptions.md, B1-B9; README's parameter table).
BOUNDS: dict[str, tuple[float, float]] = {
    "unit_cost_keur": (0.0, 10_000.0),
    "unit_cost_growth": (0.0, 0.5),
    "etp": (0.0, 1_000.0),
    "phasing": (0.0, 1.0),
    "delay_years": (0.0, 20.0),
    "lever_delay_years": (0.0, 20.0),
    "realisation_rate": (0.0, 1.0),
    "discount_rate": (0.0, 0.5),
}
#: Years accepted for ``base_year``, ``horizon_end`` and the phasing's keys.
YEAR_BOUNDS: tuple[int, int] = (1900, 2200)
#: Latest ``base_year``: the FTAP doctrine year of the contract (first FTAP commitment 2018 + 3),
#: which every appraisal evaluates and whose year grid starts at ``base_year``.
MAX_BASE_YEAR: int = 2021
#: Largest weight of a discrete distribution (so that their sum cannot overflow).
MAX_WEIGHT: float = 1e12
#: Longest ``name`` and ``description``, characters.
MAX_NAME_CHARS: int = 200
MAX_DESCRIPTION_CHARS: int = 10_000

#: Scalar parameters that may carry a distribution in the ``uncertainty`` block,
#: with their valid domain (low, high) from :data:`BOUNDS`; draws are clipped to it.
UNCERTAIN_PARAMETERS: dict[str, tuple[float, float]] = {
    "unit_cost_keur": BOUNDS["unit_cost_keur"],
    "unit_cost_growth": BOUNDS["unit_cost_growth"],
    "delay_years": BOUNDS["delay_years"],
    "realisation_rate": BOUNDS["realisation_rate"],
    "discount_rate": BOUNDS["discount_rate"],
    **{f"etp.{lever}": BOUNDS["etp"] for lever in LEVERS},
}

#: The contract baseline (contract section 3; discount rate: France Stratégie,
#: see docs/assumptions.md section 2). ``params/baseline.yaml`` spells it out.
DEFAULTS: dict[str, Any] = {
    "name": "baseline",
    "description": "",
    "unit_cost_keur": 57.0,
    "unit_cost_growth": 0.0,
    "etp": {
        "dematerialisation": 20.0,
        "process_optimisation": 5.0,
        "digital_tools_and_data": 4.0,
        "user_support": 3.0,
    },
    "phasing": {2019: 0.125, 2020: 0.375, 2021: 0.625, 2022: 1.0},
    "delay_years": 0.0,
    "lever_delay_years": {lever: 0.0 for lever in LEVERS},
    "realisation_rate": 1.0,
    "discount_rate": 0.045,
    "base_year": 2018,
    "horizon_end": 2022,
    "uncertainty": None,
}

_MAX_HORIZON_YEARS = 100


class FrozenMap(Mapping):
    """An immutable, hashable mapping (keys kept in insertion order).

    Examples
    --------
    >>> m = FrozenMap({"a": 1.0})
    >>> m["a"], len(m), hash(m) == hash(FrozenMap({"a": 1.0}))
    (1.0, 1, True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping | None = None) -> None:
        object.__setattr__(self, "_data", dict(data or {}))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._data.items())))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def _freeze(value: Any) -> Any:
    return None if value is None else FrozenMap(value)


def _thaw(value: Any) -> Any:
    """Serialise a FrozenMap as a plain dict (distributions as dicts)."""
    if value is None:
        return None
    return {k: (v.model_dump(exclude_none=True) if isinstance(v, BaseModel) else v) for k, v in value.items()}


_AsDict = PlainSerializer(_thaw)


def _bounded(key: str) -> Any:
    lo, hi = BOUNDS[key]
    return Annotated[float, Field(ge=lo, le=hi, allow_inf_nan=False)]


def _encodable(text: str) -> str:
    """Refuse text that cannot be written as UTF-8 (a lone surrogate such as ``"\\ud800"``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"expected text without lone surrogates, got one at character {exc.start + 1}") from None
    return text


_Number = Annotated[float, Field(allow_inf_nan=False)]
_Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False)]
_Year = Annotated[int, Field(ge=YEAR_BOUNDS[0], le=YEAR_BOUNDS[1])]
_Lever = Literal[LEVERS]  # type: ignore[valid-type]
_UncertainKey = Literal[tuple(UNCERTAIN_PARAMETERS)]  # type: ignore[valid-type]

_FROZEN = ConfigDict(frozen=True, extra="forbid", strict=True)


class Uniform(BaseModel):
    """Uniform distribution on [low, high]."""

    model_config = _FROZEN
    dist: Literal["uniform"]
    low: _Number
    high: _Number

    @model_validator(mode="after")
    def _check(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"high: expected a number >= low ({self.low:g}), got {self.high:g}")
        return self

    def bounds(self) -> tuple[float, float]:
        """Support of the distribution."""
        return self.low, self.high

    def p10_p90(self) -> tuple[float, float]:
        """10th and 90th percentiles."""
        return self.low + 0.1 * (self.high - self.low), self.low + 0.9 * (self.high - self.low)


class Triangular(BaseModel):
    """Triangular distribution (low, mode, high)."""

    model_config = _FROZEN
    dist: Literal["triangular"]
    low: _Number
    mode: _Number
    high: _Number

    @model_validator(mode="after")
    def _check(self) -> Triangular:
        if not self.low <= self.mode:
            raise ValueError(f"mode: expected a number >= low ({self.low:g}), got {self.mode:g}")
        if not self.mode <= self.high:
            raise ValueError(f"high: expected a number >= mode ({self.mode:g}), got {self.high:g}")
        return self

    def bounds(self) -> tuple[float, float]:
        """Support of the distribution."""
        return self.low, self.high

    def ppf(self, q: float) -> float:
        """Quantile function (inverse CDF) at ``q`` in [0, 1]."""
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return a
        fc = (c - a) / (b - a)
        if q <= fc:
            return a + math.sqrt(q * (b - a) * (c - a))
        return b - math.sqrt((1 - q) * (b - a) * (b - c))

    def p10_p90(self) -> tuple[float, float]:
        """10th and 90th percentiles."""
        return self.ppf(0.1), self.ppf(0.9)


class Normal(BaseModel):
    """Normal distribution (mean, sd); draws are clipped to the parameter's domain."""

    model_config = _FROZEN
    dist: Literal["normal"]
    mean: _Number
    sd: Annotated[float, Field(ge=0, allow_inf_nan=False)]

    def bounds(self) -> tuple[float, float]:
        """Support of the distribution (unbounded)."""
        return -math.inf, math.inf

    def p10_p90(self) -> tuple[float, float]:
        """10th and 90th percentiles (mean -/+ 1.2816 sd)."""
        z = 1.2815515655446004
        return self.mean - z * self.sd, self.mean + z * self.sd


def _list_to_tuple(value: Any) -> Any:
    """Accept a YAML list where a tuple is stored."""
    return tuple(value) if isinstance(value, list) else value


class Discrete(BaseModel):
    """Discrete distribution on ``values`` with ``weights`` (normalised; equal if omitted)."""

    model_config = _FROZEN
    dist: Literal["discrete"]
    values: Annotated[tuple[_Number, ...], Field(min_length=1, max_length=MAX_ITEMS),
                      BeforeValidator(_list_to_tuple)]
    weights: Annotated[tuple[_Weight, ...] | None, Field(max_length=MAX_ITEMS), BeforeValidator(_list_to_tuple)] = None

    @model_validator(mode="after")
    def _check(self) -> Discrete:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"weights: expected {len(self.values)} weights (one per value), got {len(self.weights)}"
                )
            if math.fsum(self.weights) <= 0:
                raise ValueError("weights: expected at least one weight > 0, got all zero")
        return self

    def probabilities(self) -> tuple[float, ...]:
        """Normalised weights (equal weights when none were given)."""
        w = self.weights if self.weights is not None else (1.0,) * len(self.values)
        s = math.fsum(w)
        return tuple(x / s for x in w)

    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value with a positive weight."""
        vals = [v for v, p in zip(self.values, self.probabilities(), strict=True) if p > 0]
        return min(vals), max(vals)

    def quantile(self, q: float) -> float:
        """Lower quantile: smallest value whose cumulated probability reaches ``q``."""
        pairs = sorted(zip(self.values, self.probabilities(), strict=True))
        cum = 0.0
        for v, p in pairs:
            cum += p
            if cum >= q - 1e-12 and p > 0:
                return v
        return pairs[-1][0]

    def p10_p90(self) -> tuple[float, float]:
        """10th and 90th percentiles (lower quantiles)."""
        return self.quantile(0.1), self.quantile(0.9)


Distribution = Annotated[Uniform | Triangular | Normal | Discrete, Field(discriminator="dist")]
_DIST_FIELDS = {
    "uniform": ("dist", "low", "high"),
    "triangular": ("dist", "low", "mode", "high"),
    "normal": ("dist", "mean", "sd"),
    "discrete": ("dist", "values", "weights"),
}


def _year_keys(value: Any) -> Any:
    """Accept ``2019`` and ``"2019"`` as phasing keys (papermill passes them as-is).

    Two keys naming the same year in different spellings (``2019`` and ``"2019"``,
    ``"02019"``, ``" 2019"``) are refused: which share would hold is not obvious.
    """
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        spelled: dict[Any, Any] = {}
        for k, v in value.items():
            year = k
            if isinstance(k, str) and k.strip().isascii() and k.strip().isdigit() and len(k.strip()) <= 6:
                year = int(k.strip())
            if year in out:
                raise ValueError(f"{year}: the same year is given twice ({_show(spelled[year])} and {_show(k)})")
            out[year] = v
            spelled[year] = k
        return out
    return value


class Scenario(BaseModel):
    """One savings scenario: the contract baseline with some parameters changed.

    Attributes
    ----------
    name, description : str
        Label of the scenario (``name`` names it in every output).
    unit_cost_keur : float
        Annual cost of one category-B FTE in ``base_year``, k€/FTE/year (contract: 57).
    unit_cost_growth : float
        Annual growth of that cost, compounded from ``base_year`` (0.015 = 1.5 %/year).
    etp : mapping lever -> float
        FTE freed at full run rate per lever (contract: 20 / 5 / 4 / 3).
    phasing : mapping year -> float
        Share (0-1) of the run rate reached each year; a step function: a year
        without an entry holds the share of the latest earlier year, years
        before the first entry have share 0. Non-decreasing. A file's
        ``phasing`` replaces the baseline curve as a whole.
    delay_years : float
        Shift of the phasing to later years (fractional delays interpolate).
    lever_delay_years : mapping lever -> float
        Extra delay per lever, added to ``delay_years`` (extension, default 0).
    realisation_rate : float
        Share (0-1) of the planned FTE really freed.
    discount_rate : float
        Real annual discount rate (default 0.045, France Stratégie).
    base_year, horizon_end : int
        Discounting and cost-growth origin; last year counted.
    uncertainty : mapping parameter -> distribution, or None
        Distributions of scalar parameters for Monte Carlo and the tornado.
    """

    model_config = _FROZEN

    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS), AfterValidator(_encodable)]
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION_CHARS), AfterValidator(_encodable)] = ""
    unit_cost_keur: _bounded("unit_cost_keur") = 57.0
    unit_cost_growth: _bounded("unit_cost_growth") = 0.0
    etp: Annotated[Mapping[_Lever, _bounded("etp")], AfterValidator(_freeze), _AsDict]
    phasing: Annotated[Mapping[_Year, _bounded("phasing")], BeforeValidator(_year_keys), AfterValidator(_freeze),
                       _AsDict]
    delay_years: _bounded("delay_years") = 0.0
    lever_delay_years: Annotated[Mapping[_Lever, _bounded("lever_delay_years")], AfterValidator(_freeze), _AsDict]
    realisation_rate: _bounded("realisation_rate") = 1.0
    discount_rate: _bounded("discount_rate") = 0.045
    base_year: _Year = 2018
    horizon_end: _Year = 2022
    uncertainty: Annotated[Mapping[_UncertainKey, Distribution] | None, AfterValidator(_freeze), _AsDict] = None

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        for key in ("etp", "lever_delay_years"):
            missing = [lv for lv in LEVERS if lv not in getattr(self, key)]
            if missing:
                raise ValueError(f"{key}: missing lever(s) {', '.join(missing)}")
        self._check_horizon()
        self._check_phasing()
        self._check_uncertainty()
        return self

    def _check_horizon(self) -> None:
        if self.base_year > MAX_BASE_YEAR:
            raise ValueError(
                f"base_year: expected a year between {YEAR_BOUNDS[0]} and {MAX_BASE_YEAR} (the FTAP doctrine "
                f"year, evaluated by every appraisal), got {self.base_year}"
            )
        if self.horizon_end < self.base_year:
            raise ValueError(
                f"horizon_end: expected a year >= base_year ({self.base_year}), got {self.horizon_end}"
            )
        if self.horizon_end - self.base_year > _MAX_HORIZON_YEARS:
            raise ValueError(
                f"horizon_end: expected at most {_MAX_HORIZON_YEARS} years after base_year "
                f"({self.base_year}), got {self.horizon_end}"
            )

    def _check_phasing(self) -> None:
        if not self.phasing:
            raise ValueError("phasing: expected at least one year")
        for y0, y1 in itertools.pairwise(sorted(self.phasing)):
            if self.phasing[y1] < self.phasing[y0]:
                raise ValueError(
                    f"phasing.{y1}: expected a share >= the share of {y0} ({self.phasing[y0]:g}) "
                    f"(the run rate reached cannot fall), got {self.phasing[y1]:g}"
                )

    def _check_uncertainty(self) -> None:
        for key, dist in (self.uncertainty or {}).items():
            lo, hi = UNCERTAIN_PARAMETERS[key]
            if isinstance(dist, Normal):
                if not lo <= dist.mean <= hi:
                    raise ValueError(
                        f"uncertainty.{key}.mean: expected a number in [{lo:g}, {hi:g}], got {dist.mean:g}"
                    )
                if dist.sd > hi - lo:
                    raise ValueError(
                        f"uncertainty.{key}.sd: expected a number in [0, {hi - lo:g}] (the width of the "
                        f"parameter's domain), got {dist.sd:g}"
                    )
                continue
            dlo, dhi = dist.bounds()
            if dlo < lo or dhi > hi:
                raise ValueError(
                    f"uncertainty.{key}: expected values in [{lo:g}, {hi:g}], got [{dlo:g}, {dhi:g}]"
                )

    # convenience -------------------------------------------------------------
    @property
    def years(self) -> tuple[int, ...]:
        """Years counted: ``base_year`` .. ``horizon_end`` (inclusive)."""
        return tuple(range(self.base_year, self.horizon_end + 1))

    @property
    def total_etp(self) -> float:
        """FTE at full run rate, all levers (contract: 32)."""
        return math.fsum(self.etp.values())

    def replace(self, **changes: Any) -> Scenario:
        """Return a validated copy with some parameters changed.

        Examples
        --------
        >>> baseline().replace(realisation_rate=0.75).realisation_rate
        0.75
        """
        data = _to_plain(self)
        for key, value in changes.items():
            if key in ("etp", "lever_delay_years") and isinstance(value, Mapping):
                merged = dict(data[key])
                merged.update(value)
                value = merged
            data[key] = value
        return _validate(data, f"scenario {_show(self.name)}")


# --------------------------------------------------------------------------- #
# reading
# --------------------------------------------------------------------------- #


#: Limits of a parameter file (docs/assumptions.md, B-section): the largest real file is
#: under 4 KiB, 3 levels deep, with a few dozen values.
MAX_FILE_BYTES: int = 1 << 20  # 1 MiB
MAX_DEPTH: int = 20  # nested lists / mappings
MAX_ITEMS: int = 10_000  # items of one list or mapping (e.g. the values of a discrete distribution)
MAX_NODES: int = 50_000  # values in the whole file
MAX_SCALAR_CHARS: int = 10_000  # characters of one value (a description)
_MAX_INT_DIGITS = 30  # an integer with more digits is no year, FTE or amount


class _Refused(Exception):
    """A located refusal raised while reading the YAML (line/column of ``mark``)."""

    def __init__(self, mark: Any, what: str) -> None:
        super().__init__(what)
        self.mark, self.what = mark, what


def _tag_text(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with bounded work: no tag, anchor or alias; capped depth, sizes and counts.

    The checks run while the document is composed (event by event), so an
    oversized or hostile file is refused as soon as a limit is crossed, before
    the rest of it is read.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(mark, "YAML anchor or alias (& or *) refused: write each value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise _Refused(mark, f"YAML tag {_show(_tag_text(tag))} refused "
                                 "(plain values only; nothing in a parameter file is executed)")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(mark, f"more than {MAX_NODES:_} values in the file")
        if parent is not None and len(parent.value) >= MAX_ITEMS:
            raise _Refused(mark, f"more than {MAX_ITEMS:_} items in one list or mapping")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise _Refused(mark, f"a value of more than {MAX_SCALAR_CHARS:_} characters")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(mark, f"lists or mappings nested more than {MAX_DEPTH} deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. a timestamp 2019-13-45
            raise _Refused(node.start_mark, f"invalid value {_show(node.value)}: {_show(str(exc))}") from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if sum(c.isdigit() for c in node.value) > _MAX_INT_DIGITS:
            raise _Refused(node.start_mark, f"an integer of more than {_MAX_INT_DIGITS} digits")
        return super().construct_yaml_int(node)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(key_node.start_mark, "a key must be a plain value (a name or a year), "
                                                "not a list or a mapping")
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _Refused(key_node.start_mark, f"duplicated key {_show(key)}")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _read_yaml(path: Path, label: str) -> Any:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ParameterError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise ParameterError(f"{label}: is a folder, expected a YAML file") from None
    except OSError as exc:
        raise ParameterError(f"{label}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ParameterError(f"{label}: file larger than {MAX_FILE_BYTES // 1024:_} KiB "
                             "(a parameter file holds a few dozen values)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{label}: not UTF-8 text (byte {exc.start})") from None
    return _parse_yaml(text, label)


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def _parse_yaml(text: str, label: str) -> Any:
    """Parse ``text`` with :class:`_StrictLoader`; every failure is one located ParameterError."""
    try:
        loader = _StrictLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _Refused as exc:
        raise ParameterError(f"{label}: {_where(exc.mark)}{exc.what}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise ParameterError(f"{label}: {_where(mark)}YAML syntax error: {_show_text(what)}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{label}: YAML syntax error: {_show_text(' '.join(str(exc).split()))}") from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before
        raise ParameterError(f"{label}: lists or mappings nested too deep") from None


_SHOW_CHARS = 60


def _show_text(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters (messages never carry a whole value)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(value: Any) -> str:
    """A short ``repr`` of ``value`` for messages: at most 60 characters, built within that budget.

    Containers are walked only as far as the budget goes, so a huge value costs no
    more than a small one.

    Examples
    --------
    >>> _show(list(range(10**6)))
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16...'
    """
    text = _short_repr(value, _SHOW_CHARS + 1)
    return text if len(text) <= _SHOW_CHARS else text[: _SHOW_CHARS - 3] + "..."


def _short_repr(value: Any, budget: int) -> str:
    """``repr(value)``, or a prefix of it at least ``budget`` characters long."""
    if isinstance(value, str):
        return repr(value[:budget])
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        brackets = "{}" if isinstance(value, Mapping | set | frozenset) else \
            ("()" if isinstance(value, tuple) else "[]")
        items = value.items() if isinstance(value, Mapping) else value
        parts: list[str] = []
        used = 1
        for item in items:
            if used > budget:
                parts.append("...")
                break
            if isinstance(value, Mapping):
                k, v = item
                part = _short_repr(k, budget - used) + ": " + _short_repr(v, budget - used)
            else:
                part = _short_repr(item, budget - used)
            parts.append(part)
            used += len(part) + 2
        return brackets[0] + ", ".join(parts) + brackets[1]
    return repr(value)[:budget]


def _merge(raw: Mapping[str, Any], label: str) -> dict[str, Any]:
    """Merge a (partial) parameter mapping with the defaults; refuse unknown top-level keys."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in raw.items():
        if not isinstance(key, str) or key not in PARAMETER_KEYS:
            raise ParameterError(
                f"{label}: key {_show(str(key))}: unknown parameter (allowed: {', '.join(PARAMETER_KEYS)})"
            )
        if key in ("etp", "lever_delay_years", "phasing"):
            if not isinstance(value, Mapping):
                raise ParameterError(f"{label}: key {key!r}: expected a mapping, got {_show(value)}")
            if key == "phasing":  # a curve: replaced as a whole (years normalised by the validator)
                data[key] = dict(value)
                continue
            merged = dict(data[key])  # levers: a partial mapping overrides only what it names
            merged.update(value)
            data[key] = merged
        else:
            data[key] = value
    return data


def _expected(path: tuple[Any, ...]) -> str:
    """What a numeric key expects, for messages."""
    head = path[0] if path else ""
    if head in BOUNDS:
        lo, hi = BOUNDS[head]
        return f"a number between {lo:g} and {hi:g}"
    if head in ("base_year", "horizon_end"):
        return "an integer year"
    if head == "uncertainty" and path[-1] == "weights" or (len(path) > 3 and path[-2] == "weights"):
        return f"a number between 0 and {MAX_WEIGHT:g}"
    if head == "uncertainty" and path[-1] == "sd":
        return "a number >= 0"
    return "a number"


def _translate(exc: ValidationError, label: str) -> ParameterError:
    """One located line from pydantic's first error: ``LABEL: key 'PATH': WHAT``."""
    err = exc.errors(include_url=False)[0]
    loc = list(err["loc"])
    # drop the discriminator tag pydantic inserts: uncertainty.<param>.<dist>.<field>
    dist_name = loc.pop(2) if len(loc) >= 3 and loc[0] == "uncertainty" and loc[2] in _DIST_FIELDS else None
    if err["type"] in ("value_error", "assertion_error"):
        path, what = _check_failure(err["msg"], loc)
    elif loc and loc[-1] == "[key]":
        path, what = _bad_key(loc[:-1])
    else:
        path, what = _bad_value(err, loc, dist_name)
    return ParameterError(f"{label}: key {_show(path)}: {what}")


def _check_failure(msg: str, loc: list[Any]) -> tuple[str, str]:
    """Key path and message of a failed validator (``"phasing.2020: expected ..."``)."""
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    prefix = ".".join(str(x) for x in loc)
    if ": " in msg:
        sub, rest = msg.split(": ", 1)
        return (f"{prefix}.{sub}" if prefix else sub), rest
    return prefix or "(top level)", msg


def _bad_key(loc: list[Any]) -> tuple[str, str]:
    """Key path and message of a refused mapping key (``loc`` is the key's own path)."""
    path = ".".join(str(x) for x in loc) or "(top level)"
    parent = ".".join(str(x) for x in loc[:-1])
    if parent in ("etp", "lever_delay_years"):
        return path, f"unknown lever (allowed: {', '.join(LEVERS)})"
    if parent == "phasing":
        return path, f"expected a year (integer {YEAR_BOUNDS[0]}-{YEAR_BOUNDS[1]}) as key"
    if parent == "uncertainty":
        return path, f"not an uncertain parameter (scalar parameters: {', '.join(UNCERTAIN_PARAMETERS)})"
    return path, "invalid key"


# pydantic error type -> what was expected (the value found is appended)
_EXPECTED_BY_TYPE: dict[str, str] = {
    **dict.fromkeys(("model_type", "model_attributes_type", "dict_type", "mapping_type"), "expected a mapping"),
    **dict.fromkeys(("tuple_type", "list_type"), "expected a list"),
    "string_type": "expected a text",
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "expected an integer year"),
}
# pydantic error type -> the whole message (no value shown)
_MESSAGE_BY_TYPE: dict[str, str] = {
    "missing": "missing",
    "too_short": "expected a non-empty value",
    "string_too_short": "expected a non-empty text",
}
_NUMBER_TYPES = frozenset({"float_type", "float_parsing", "finite_number"})
_RANGE_TYPES = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})


def _bad_value(err: Mapping[str, Any], loc: list[Any], dist_name: str | None) -> tuple[str, str]:
    """Key path and message of a value of the wrong type or out of range (``err``: pydantic's)."""
    typ = err["type"]
    value = err.get("input")
    path = ".".join(str(x) for x in loc) or "(top level)"
    if typ in ("union_tag_invalid", "union_tag_not_found"):
        found = value.get("dist") if isinstance(value, Mapping) else value
        return path + ".dist", f"expected one of {', '.join(_DIST_FIELDS)}, got {_show(found)}"
    if typ == "extra_forbidden" and dist_name:
        return path, f"unknown field of a {dist_name} distribution (allowed: {', '.join(_DIST_FIELDS[dist_name])})"
    if typ == "extra_forbidden":
        return path, "unknown key"
    if typ in _MESSAGE_BY_TYPE:
        return path, _MESSAGE_BY_TYPE[typ]
    if typ in ("too_long", "string_too_long"):
        what = "characters" if typ == "string_too_long" else "items"
        return path, f"expected at most {err.get('ctx', {}).get('max_length')} {what}"
    if typ in _EXPECTED_BY_TYPE:
        return path, f"{_EXPECTED_BY_TYPE[typ]}, got {_show(value)}"
    if typ in _RANGE_TYPES and loc and loc[0] in ("base_year", "horizon_end"):
        return path, f"expected a year between {YEAR_BOUNDS[0]} and {YEAR_BOUNDS[1]}, got {_show(value)}"
    if typ in _NUMBER_TYPES or typ in _RANGE_TYPES:
        return path, f"expected {_expected(tuple(loc))}, got {_show(value)}"
    return path, f"{err['msg']}, got {_show(value)}"


def _validate(data: Mapping[str, Any], label: str) -> Scenario:
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise _translate(exc, label) from None


def scenario_from_mapping(mapping: Mapping[str, Any] | None, *, source: str = "<parameters>") -> Scenario:
    """Validate a (partial) parameter mapping, merged with the contract baseline.

    Parameters
    ----------
    mapping : mapping or None
        Parameter values by key (see :data:`PARAMETER_KEYS`); missing keys take
        the baseline value; a partial ``etp`` or ``lever_delay_years`` overrides
        only the levers it names; a ``phasing`` replaces the whole curve.
        ``None`` is the baseline.
    source : str
        Label used in error messages (a file name, or ``<parameters>``).

    Returns
    -------
    Scenario

    Raises
    ------
    ParameterError
        One line naming ``source`` and the key path.

    Examples
    --------
    >>> s = scenario_from_mapping({"name": "late", "delay_years": 1, "etp": {"user_support": 2}})
    >>> s.delay_years, s.etp["user_support"], s.etp["dematerialisation"]
    (1.0, 2.0, 20.0)
    """
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, Mapping):
        raise ParameterError(
            f"{source}: expected a mapping of parameters at the top level, got {type(mapping).__name__}"
        )
    data = _merge(mapping, source)
    if "name" not in mapping:
        data["name"] = "scenario" if source.startswith("<") else Path(source).stem
    return _validate(data, source)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, merge with the baseline and validate a scenario parameter file.

    An empty file is the baseline. The scenario is named by its ``name`` key,
    else by the file's stem.

    Parameters
    ----------
    path : path
        A YAML parameter file (``params/*.yaml``).

    Returns
    -------
    Scenario

    Raises
    ------
    ParameterError
        Unknown key, wrong type, value out of range, YAML syntax error, YAML tag...:
        one line naming the file and the key path (or line and column).

    Examples
    --------
    >>> from incubo_analysis.paths import PARAMS_DIR
    >>> load_scenario(PARAMS_DIR / "baseline.yaml").total_etp
    32.0
    """
    path = Path(path)
    return scenario_from_mapping(_read_yaml(path, str(path)), source=str(path))  # named by the file's stem


def baseline() -> Scenario:
    """The contract baseline, read from ``params/baseline.yaml``.

    Examples
    --------
    >>> b = baseline()
    >>> b.unit_cost_keur, b.total_etp, dict(b.phasing)[2022]
    (57.0, 32.0, 1.0)
    """
    return load_scenario(BASELINE_PARAMS)


# --------------------------------------------------------------------------- #
# writing
# --------------------------------------------------------------------------- #


def _plain_number(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)


def _to_plain(s: Scenario) -> dict[str, Any]:
    data = {}
    for key in PARAMETER_KEYS:
        value = getattr(s, key)
        if key == "uncertainty":
            value = None if value is None else {
                k: d.model_dump(exclude_none=True) for k, d in value.items()
            }
            if value:
                for d in value.values():
                    for f in ("values", "weights"):
                        if f in d:
                            d[f] = list(d[f])
        elif isinstance(value, Mapping):
            value = dict(value)
        data[key] = value
    return data


def scenario_to_yaml(scenario: Scenario, path: str | os.PathLike[str] | None = None) -> str:
    """Return (and optionally write) the YAML of the keys that differ from the baseline.

    ``name`` is always written; ``load_scenario`` of the result gives back an
    equal :class:`Scenario`.

    Parameters
    ----------
    scenario : Scenario
    path : path, optional
        Where to write the text (UTF-8).

    Returns
    -------
    str

    Examples
    --------
    >>> print(scenario_to_yaml(scenario_from_mapping({"name": "r75", "realisation_rate": 0.75})), end="")
    name: r75
    realisation_rate: 0.75
    """
    base = _to_plain(_validate(DEFAULTS, "<defaults>"))
    mine = _to_plain(scenario)
    out: dict[str, Any] = {"name": scenario.name}
    for key in PARAMETER_KEYS:
        if key != "name":
            value = _yaml_difference(key, mine[key], base[key])
            if value is not _SAME:
                out[key] = value
    text = yaml.safe_dump(out, sort_keys=False, allow_unicode=True, default_flow_style=False)
    if path is not None:
        atomic_write_text(path, text)
    return text


_SAME = object()  # no difference from the baseline


def _yaml_difference(key: str, mine: Any, base: Any) -> Any:
    """The YAML value of ``key`` if it differs from the baseline's, else ``_SAME``.

    Levers: only those that differ; the phasing: the whole curve; numbers:
    integers when integral (``57`` rather than ``57.0``).
    """
    if key in ("etp", "lever_delay_years"):
        diff = {k: _plain_number(v) for k, v in mine.items() if k not in base or base[k] != v}
        return diff or _SAME
    if mine == base:
        return _SAME
    if key == "phasing":
        return {k: _plain_number(v) for k, v in mine.items()}
    if key == "uncertainty":
        return {k: {f: _plain_field(v) for f, v in d.items()} for k, d in mine.items()}
    return _plain_number(mine) if isinstance(mine, float) else mine


def _plain_field(value: Any) -> Any:
    """A distribution field for YAML: numbers and lists of numbers as plain numbers."""
    if isinstance(value, float):
        return _plain_number(value)
    if isinstance(value, list):
        return [_plain_number(x) for x in value]
    return value


def save_scenario(
    scenario: Scenario,
    name: str,
    *,
    directory: str | os.PathLike[str] | None = None,
    replace: bool = False,
    comment: str | None = None,
    lang: str = "fr",
) -> Path:
    """Write a scenario as a parameter file ``DIRECTORY/NAME.yaml`` (keys differing from the contract).

    The file is written atomically (a temporary file in the same folder, then renamed)
    with :func:`scenario_to_yaml`; :func:`load_scenario` reads it back into an equal
    scenario. The scenario is written as given (its ``name`` key included).

    Parameters
    ----------
    scenario : Scenario
        The scenario to write.
    name : str
        A plain file name: letters, digits, ``_`` and ``-`` (at most 64), optionally
        ending in ``.yaml`` / ``.yml`` (``.yaml`` is added when missing); no folder.
        ``baseline`` (the contract, ``params/baseline.yaml``) is always refused.
    directory : path, optional
        Target folder, which must exist (default: ``params/``).
    replace : bool
        Replace an existing file (default: refuse).
    comment : str, optional
        One line written first, as a YAML comment (``# `` is added).
    lang : {"fr", "en"}
        Language of the refusals (the explorer shows them); French by default.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ParameterError
        A bad file name, ``baseline``, a missing folder, a folder of that name, or an
        existing file without ``replace`` (one line naming the file).
    OSError
        The file cannot be written (nothing is left behind).

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = tmp.name
    >>> path = save_scenario(baseline().replace(name="r75", realisation_rate=0.75), "r75", directory=folder)
    >>> path.name, load_scenario(path).realisation_rate
    ('r75.yaml', 0.75)
    >>> save_scenario(baseline(), "baseline", directory=folder)
    Traceback (most recent call last):
    ...
    incubo_analysis.errors.ParameterError: nom de fichier 'baseline.yaml' : le scénario de référence du \
contrat (params/baseline.yaml) n'est jamais remplacé ; choisissez un autre nom
    >>> tmp.cleanup()
    """
    from incubo_analysis.labels import label

    path = scenario_file_path(name, directory, lang=lang)
    if path.exists() and not replace:
        raise ParameterError(label("save.exists", lang).format(file=path.name))
    return atomic_write_text(path, (f"# {comment}\n" if comment else "") + scenario_to_yaml(scenario))


def scenario_file_path(name: str, directory: str | os.PathLike[str] | None = None, *, lang: str = "fr") -> Path:
    """The parameter file a scenario called ``name`` is saved to, after checking the name.

    Parameters
    ----------
    name : str
        Letters, digits, ``_`` and ``-`` (at most 64), optionally ending in ``.yaml`` /
        ``.yml``; never ``baseline``.
    directory : path, optional
        An existing folder (default: ``params/``).
    lang : {"fr", "en"}
        Language of the refusals; French by default.

    Returns
    -------
    Path
        ``directory/name`` (``.yaml`` added when missing).

    Raises
    ------
    ParameterError
        A bad file name, ``baseline``, a missing folder or a folder of that name.
    """
    import re

    from incubo_analysis.labels import label
    from incubo_analysis.paths import PARAMS_DIR

    text = (name or "").strip()
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(\.ya?ml)?$", text):
        raise ParameterError(label("save.bad_name", lang).format(file=_show(text)))
    if not text.lower().endswith((".yaml", ".yml")):
        text += ".yaml"
    path = Path(directory if directory is not None else PARAMS_DIR) / text
    if path.stem.lower() == "baseline" or path.resolve() == BASELINE_PARAMS.resolve():
        raise ParameterError(label("save.baseline", lang).format(file=repr(text)))
    if path.is_dir():
        raise ParameterError(label("save.is_folder", lang).format(file=path.name))
    if not path.parent.is_dir():
        raise ParameterError(label("save.no_folder", lang).format(file=path.name, folder=path.parent.name))
    return path
