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
decimals (0.032 is 3.2 %), years as integers.
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
    "save_scenario", "scenario_file_path", "PLAN_LAST_YEAR",
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
    "running_costs_keur",
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
    "running_costs_keur": (0.0, 100_000.0),
}
#: Years accepted for ``base_year``, ``horizon_end`` and the phasing's keys.
YEAR_BOUNDS: tuple[int, int] = (1900, 2200)
#: Latest ``base_year``: the FTAP doctrine year of the contract (first FTAP commitment 2018 + 3),
#: which every appraisal evaluates and whose year grid starts at ``base_year``.
MAX_BASE_YEAR: int = 2021
#: Last year of the contract's financing plan (annex: 2018-2022; no cost in 2022). Running costs
#: (``running_costs_keur``) may only be given for later years, up to ``horizon_end``.
PLAN_LAST_YEAR: int = 2022
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
    "discount_rate": 0.032,
    "base_year": 2018,
    "horizon_end": 2022,
    "running_costs_keur": {},
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
        raise _Why("", "want.text_no_surrogate", n=exc.start + 1) from None
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
            raise _Why("high", "at_least_field", field="low", bound=self.low, got=self.high)
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
            raise _Why("mode", "at_least_field", field="low", bound=self.low, got=self.mode)
        if not self.mode <= self.high:
            raise _Why("high", "at_least_field", field="mode", bound=self.mode, got=self.high)
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
                raise _Why("weights", "weights_count", n=len(self.values), got=len(self.weights))
            if math.fsum(self.weights) <= 0:
                raise _Why("weights", "weights_zero")
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
                raise _Why(str(year), "year_twice", first=_Shown(spelled[year]), second=_Shown(k))
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
        Real annual discount rate (default 0.032: France Stratégie 2021, 1.2 % risk-free
        + beta x 2 % with beta = 1).
    base_year, horizon_end : int
        Discounting and cost-growth origin; last year counted.
    running_costs_keur : mapping year -> float
        Costs of running the tools after the plan, k€ per year (>= 0), for years after
        :data:`PLAN_LAST_YEAR` up to ``horizon_end``; counted with all public money (NPV,
        ``roi_total``, ``payback_year_total``). Empty by default.
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
    discount_rate: _bounded("discount_rate") = 0.032
    base_year: _Year = 2018
    horizon_end: _Year = 2022
    running_costs_keur: Annotated[Mapping[_Year, _bounded("running_costs_keur")], BeforeValidator(_year_keys),
                                  AfterValidator(_freeze), _AsDict] = FrozenMap()
    uncertainty: Annotated[Mapping[_UncertainKey, Distribution] | None, AfterValidator(_freeze), _AsDict] = None

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        for key in ("etp", "lever_delay_years"):
            missing = [lv for lv in LEVERS if lv not in getattr(self, key)]
            if missing:
                raise _Why(key, "missing_levers", levers=", ".join(missing))
        self._check_horizon()
        self._check_phasing()
        self._check_uncertainty()
        return self

    def _check_horizon(self) -> None:
        if self.base_year > MAX_BASE_YEAR:
            raise _Why("base_year", "base_year_max", low=str(YEAR_BOUNDS[0]), high=str(MAX_BASE_YEAR),
                       got=str(self.base_year))
        if self.horizon_end < self.base_year:
            raise _Why("horizon_end", "horizon_before_base", base=str(self.base_year), got=str(self.horizon_end))
        if self.horizon_end - self.base_year > _MAX_HORIZON_YEARS:
            raise _Why("horizon_end", "horizon_too_long", n=_MAX_HORIZON_YEARS, base=str(self.base_year),
                       got=str(self.horizon_end))

    def _check_phasing(self) -> None:
        if not self.phasing:
            raise _Why("phasing", "phasing_empty")
        for y0, y1 in itertools.pairwise(sorted(self.phasing)):
            if self.phasing[y1] < self.phasing[y0]:
                raise _Why(f"phasing.{y1}", "phasing_falls", year=str(y0), share=self.phasing[y0],
                           got=self.phasing[y1])

    def _check_uncertainty(self) -> None:
        for key, dist in (self.uncertainty or {}).items():
            lo, hi = UNCERTAIN_PARAMETERS[key]
            if isinstance(dist, Normal):
                if not lo <= dist.mean <= hi:
                    raise _Why(f"uncertainty.{key}.mean", "want.in_range", low=lo, high=hi, got=dist.mean)
                if dist.sd > hi - lo:
                    raise _Why(f"uncertainty.{key}.sd", "sd_too_wide", width=hi - lo, got=dist.sd)
                continue
            dlo, dhi = dist.bounds()
            if dlo < lo or dhi > hi:
                raise _Why(f"uncertainty.{key}", "dist_outside", low=lo, high=hi, got_low=dlo, got_high=dhi)

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
        source = _say("scenario", name=_Shown(self.name))
        return _validate(data, _Source(source["en"], source["fr"]))


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

    def __init__(self, mark: Any, what: dict[str, str]) -> None:
        super().__init__(what["en"])
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
            raise _Refused(mark, _say("yaml.anchor"))
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise _Refused(mark, _say("yaml.tag", tag=_Shown(_tag_text(tag))))
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(mark, _say("yaml.nodes", n=_count(MAX_NODES)))
        if parent is not None and len(parent.value) >= MAX_ITEMS:
            raise _Refused(mark, _say("yaml.items", n=_count(MAX_ITEMS)))
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise _Refused(mark, _say("yaml.scalar", n=_count(MAX_SCALAR_CHARS)))
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(mark, _say("yaml.depth", n=MAX_DEPTH))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. a timestamp 2019-13-45
            reason = str(exc)
            raise _Refused(node.start_mark, _say("yaml.invalid_value", value=_Shown(node.value), reason=(
                lambda lang: _show(reason) if lang == "en" else _show_text(reason, _SHOW_CHARS)))) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if sum(c.isdigit() for c in node.value) > _MAX_INT_DIGITS:
            raise _Refused(node.start_mark, _say("yaml.int_digits", n=_MAX_INT_DIGITS))
        return super().construct_yaml_int(node)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(key_node.start_mark, _say("yaml.key_not_scalar"))
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _Refused(key_node.start_mark, _say("yaml.duplicated", key=_Shown(key)))
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
        raise _refusal(label, _say("file.not_found")) from None
    except IsADirectoryError:
        raise _refusal(label, _say("file.folder")) from None
    except OSError as exc:
        raise _refusal(label, _say("file.unreadable", reason=str(exc.strerror))) from None
    if len(data) > MAX_FILE_BYTES:
        raise _refusal(label, _say("file.too_large", kib=_count(MAX_FILE_BYTES // 1024)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refusal(label, _say("file.not_utf8", byte=str(exc.start))) from None
    return _parse_yaml(text, label)


def _parse_yaml(text: str, label: str) -> Any:
    """Parse ``text`` with :class:`_StrictLoader`; every failure is one located ParameterError."""
    try:
        loader = _StrictLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _Refused as exc:
        raise _refusal(label, exc.what, mark=exc.mark) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise _refusal(label, _say("yaml.syntax", detail=_show_text(what)), mark=mark) from None
    except yaml.YAMLError as exc:
        raise _refusal(label, _say("yaml.syntax", detail=_show_text(" ".join(str(exc).split())))) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before
        raise _refusal(label, _say("yaml.too_deep")) from None


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


# --------------------------------------------------------------------------- #
# refusals in the reader's language (labels param.*)
# --------------------------------------------------------------------------- #


class _Shown:
    """A value found in the file, shown in a message: ``repr`` in English, the French way in French."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _number_text(x: float, lang: str) -> str:
    """A number of a message: ``:g`` in English (``1.5``, ``10000``), French digits in French (``1,5``)."""
    if lang == "en":
        return str(x) if isinstance(x, int) else f"{x:g}"
    from incubo_analysis.labels import MINUS, fmt_number

    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x) or x != 0 and not 1e-6 <= abs(x) < 1e15:
        return f"{x:g}".replace(".", ",").replace("-", MINUS).replace("inf", "∞")
    decimals = next((d for d in range(10) if round(x, d) == x), 9)
    return fmt_number(x, decimals, "fr")


def _shown_fr(value: Any, budget: int = _SHOW_CHARS) -> str:
    """``value`` as a French reader reads it, at most ``budget`` characters (« texte », 1,5, [0,1 ; 1])."""
    from incubo_analysis.labels import label

    if value is None:
        text = label("param.value.null", "fr")
    elif isinstance(value, bool):
        text = label(value, "fr")
    elif isinstance(value, int) and value.bit_length() > 128:
        text = label("param.value.big_int", "fr").format(digits=int(value.bit_length() * 0.30103) + 1)
    elif isinstance(value, int | float):  # as typed, with the French decimal comma: 2018,5, not 2 018,5
        text = _number_text(value, "fr") if math.isinf(value) or math.isnan(value) else \
            repr(value).replace(".", ",").replace("-", "\u2212")
    elif isinstance(value, str):
        text = f"« {value[:budget]} »"
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{_shown_fr(k, 20)} : {_shown_fr(v, 20)}"
                               for k, v in itertools.islice(value.items(), 10)) + "}"
    elif isinstance(value, list | tuple | set | frozenset):
        text = "[" + " ; ".join(_shown_fr(v, 20) for v in itertools.islice(value, 10)) + "]"
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = _show(value)
    return text if len(text) <= budget else text[: budget - 1] + "…"


def _field_text(value: Any, lang: str) -> str:
    """A field of a ``param.*`` label in ``lang`` (a function of the language, a value found, a number...)."""
    if callable(value):
        return value(lang)
    if isinstance(value, _Shown):
        return _show(value.value) if lang == "en" else _shown_fr(value.value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value, lang)
    return str(value)


def _say(key: str, /, **fields: Any) -> dict[str, str]:
    """Label ``param.KEY`` with its fields, in each language: ``{"fr": ..., "en": ...}``."""
    from incubo_analysis.labels import LANGS, label

    return {lang: label(f"param.{key}", lang).format(**{k: _field_text(v, lang) for k, v in fields.items()})
            for lang in LANGS}


class _Why(ValueError):
    """A validator's refusal: label ``param.KEY`` with its fields, about ``sub`` below the checked key."""

    def __init__(self, sub: str, key: str, /, **fields: Any) -> None:
        self.sub, self.what = sub, _say(key, **fields)
        super().__init__(f"{sub}: {self.what['en']}" if sub else self.what["en"])


class _Source(str):
    """A message's source (file name, ``<parameters>``...) with its French wording when it differs."""

    fr: str

    def __new__(cls, en: str, fr: str | None = None) -> _Source:
        self = super().__new__(cls, en)
        self.fr = en if fr is None else fr
        return self


def _refusal(source: str, what: Mapping[str, str], *, path: str | None = None, mark: Any = None) -> ParameterError:
    """A located ParameterError in French and English: ``SOURCE: key 'PATH': WHAT`` (or line, column)."""
    from incubo_analysis.labels import LANGS, label

    texts = {}
    for lang in LANGS:
        text = what[lang]
        if path is not None:
            top = path == "(top level)"
            key = label("param.top_level", lang) if top else (_show(path) if lang == "en" else path[:_SHOW_CHARS])
            text = label("param.at_key", lang).format(key=key, what=text)
        elif mark is not None:
            text = label("param.at_line", lang).format(line=mark.line + 1, column=mark.column + 1, what=text)
        shown = getattr(source, "fr", source) if lang == "fr" else str(source)
        texts[lang] = label("param.source", lang).format(source=shown, what=text)
    return ParameterError(texts["en"], texts=texts)


def _count(n: int) -> Any:
    """A limit of the loader in a message: ``50_000`` in English, ``50 000`` in French."""
    return lambda lang: f"{n:_}" if lang == "en" else _number_text(n, lang)


def _kind(value: Any) -> Any:
    """What a value is, in a message: its Python type in English, a French noun in French."""
    from incubo_analysis.labels import label

    kind = ("list" if isinstance(value, list | tuple) else "text" if isinstance(value, str) else
            "number" if isinstance(value, int | float) and not isinstance(value, bool) else "other")
    return lambda lang: type(value).__name__ if lang == "en" else label(f"param.kind.{kind}", lang)


def _save_refusal(key: str, lang: str, **fields: Any) -> ParameterError:
    """A refusal of :func:`save_scenario` (label ``KEY``) in both languages; its message in ``lang``."""
    from incubo_analysis.labels import LANGS, label

    texts = {lg: label(key, lg).format(**fields) for lg in LANGS}
    return ParameterError(texts[lang], texts=texts)


def _merge(raw: Mapping[str, Any], label: str) -> dict[str, Any]:
    """Merge a (partial) parameter mapping with the defaults; refuse unknown top-level keys."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in raw.items():
        if not isinstance(key, str) or key not in PARAMETER_KEYS:
            raise _refusal(label, _say("unknown_parameter", allowed=", ".join(PARAMETER_KEYS)), path=str(key))
        if key in ("etp", "lever_delay_years", "phasing"):
            if not isinstance(value, Mapping):
                raise _refusal(label, _say("want.mapping", got=_Shown(value)), path=key)
            if key == "phasing":  # a curve: replaced as a whole (years normalised by the validator)
                data[key] = dict(value)
                continue
            merged = dict(data[key])  # levers: a partial mapping overrides only what it names
            merged.update(value)
            data[key] = merged
        else:
            data[key] = value
    return data


def _expected(path: tuple[Any, ...], value: Any) -> dict[str, str]:
    """What a numeric key expects and the value found, for messages."""
    head = path[0] if path else ""
    got = _Shown(value)
    if head in BOUNDS:
        lo, hi = BOUNDS[head]
        return _say("want.between", low=lo, high=hi, got=got)
    if head in ("base_year", "horizon_end"):
        return _say("want.year", got=got)
    if head == "uncertainty" and path[-1] == "weights" or (len(path) > 3 and path[-2] == "weights"):
        return _say("want.between", low=0, high=MAX_WEIGHT, got=got)
    if head == "uncertainty" and path[-1] == "sd":
        return _say("want.non_negative", got=got)
    return _say("want.number", got=got)


def _translate(exc: ValidationError, label: str) -> ParameterError:
    """One located line from pydantic's first error: ``LABEL: key 'PATH': WHAT``, in French and English."""
    err = exc.errors(include_url=False)[0]
    loc = list(err["loc"])
    # drop the discriminator tag pydantic inserts: uncertainty.<param>.<dist>.<field>
    dist_name = loc.pop(2) if len(loc) >= 3 and loc[0] == "uncertainty" and loc[2] in _DIST_FIELDS else None
    if err["type"] in ("value_error", "assertion_error"):
        path, what = _check_failure(err, loc)
    elif loc and loc[-1] == "[key]":
        path, what = _bad_key(loc[:-1])
    else:
        path, what = _bad_value(err, loc, dist_name)
    return _refusal(label, what, path=path)


def _check_failure(err: Mapping[str, Any], loc: list[Any]) -> tuple[str, dict[str, str]]:
    """Key path and message of a failed validator (a :class:`_Why`: ``phasing.2020`` and its reason)."""
    prefix = ".".join(str(x) for x in loc)
    why = err.get("ctx", {}).get("error")
    if isinstance(why, _Why):
        sub, what = why.sub, why.what
    else:  # pragma: no cover - every validator of this module raises _Why
        sub, what = "", {"fr": _say("invalid_value", got=_Shown(err.get("input")))["fr"], "en": err["msg"]}
    if sub:
        return (f"{prefix}.{sub}" if prefix else sub), what
    return prefix or "(top level)", what


def _bad_key(loc: list[Any]) -> tuple[str, dict[str, str]]:
    """Key path and message of a refused mapping key (``loc`` is the key's own path)."""
    path = ".".join(str(x) for x in loc) or "(top level)"
    parent = ".".join(str(x) for x in loc[:-1])
    if parent in ("etp", "lever_delay_years"):
        return path, _say("unknown_lever", allowed=", ".join(LEVERS))
    if parent == "phasing":
        return path, _say("year_key", low=str(YEAR_BOUNDS[0]), high=str(YEAR_BOUNDS[1]))
    if parent == "uncertainty":
        return path, _say("not_uncertain", allowed=", ".join(UNCERTAIN_PARAMETERS))
    return path, _say("invalid_key")


# pydantic error type -> label of what was expected (the value found is appended)
_EXPECTED_BY_TYPE: dict[str, str] = {
    **dict.fromkeys(("model_type", "model_attributes_type", "dict_type", "mapping_type"), "want.mapping"),
    **dict.fromkeys(("tuple_type", "list_type"), "want.list"),
    "string_type": "want.text",
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "want.year"),
}
# pydantic error type -> label of the whole message (no value shown)
_MESSAGE_BY_TYPE: dict[str, str] = {
    "missing": "missing",
    "too_short": "non_empty",
    "string_too_short": "non_empty_text",
}
_NUMBER_TYPES = frozenset({"float_type", "float_parsing", "finite_number"})
_RANGE_TYPES = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})


def _bad_value(err: Mapping[str, Any], loc: list[Any], dist_name: str | None) -> tuple[str, dict[str, str]]:
    """Key path and message of a value of the wrong type or out of range (``err``: pydantic's)."""
    typ = err["type"]
    value = err.get("input")
    path = ".".join(str(x) for x in loc) or "(top level)"
    if typ in ("union_tag_invalid", "union_tag_not_found"):
        found = value.get("dist") if isinstance(value, Mapping) else value
        return path + ".dist", _say("dist_kind", kinds=", ".join(_DIST_FIELDS), got=_Shown(found))
    if typ == "extra_forbidden" and dist_name:
        return path, _say("dist_field", dist=dist_name, allowed=", ".join(_DIST_FIELDS[dist_name]))
    if typ == "extra_forbidden":
        return path, _say("unknown_key")
    if typ in _MESSAGE_BY_TYPE:
        return path, _say(_MESSAGE_BY_TYPE[typ])
    if typ in ("too_long", "string_too_long"):
        key = "too_long_chars" if typ == "string_too_long" else "too_long_items"
        return path, _say(key, n=err.get("ctx", {}).get("max_length"))
    if typ in _EXPECTED_BY_TYPE:
        return path, _say(_EXPECTED_BY_TYPE[typ], got=_Shown(value))
    if typ in _RANGE_TYPES and loc and loc[0] in ("base_year", "horizon_end"):
        return path, _say("want.year_between", low=str(YEAR_BOUNDS[0]), high=str(YEAR_BOUNDS[1]), got=_Shown(value))
    if typ in _NUMBER_TYPES or typ in _RANGE_TYPES:
        return path, _expected(tuple(loc), value)
    fr = _say("invalid_value", got=_Shown(value))["fr"]  # pydantic's own wording stays in the English text
    return path, {"fr": fr, "en": f"{err['msg']}, got {_show(value)}"}


def _running_costs_problem(value: Any, horizon_end: Any) -> tuple[str, dict[str, Any]] | None:
    """The first problem of a ``running_costs_keur`` value: (label key, fields), or None."""
    if not isinstance(value, Mapping):
        return "appraisal.params.not_mapping", {"got": _show(value)}
    lo, hi = BOUNDS["running_costs_keur"]
    last = horizon_end if isinstance(horizon_end, int) and not isinstance(horizon_end, bool) else None
    seen: set[int] = set()
    for key, amount in value.items():
        year = key
        if isinstance(key, str) and key.strip().isascii() and key.strip().isdigit() and len(key.strip()) <= 6:
            year = int(key.strip())
        if isinstance(year, bool) or not isinstance(year, int):
            return "appraisal.params.bad_year", {"key": _show_text(str(key), _SHOW_CHARS)}
        if year in seen:
            return "appraisal.params.twice", {"key": year}
        seen.add(year)
        if last is not None and last <= PLAN_LAST_YEAR:
            return "appraisal.params.no_room", {"key": year, "last": last, "plan": PLAN_LAST_YEAR}
        if year <= PLAN_LAST_YEAR or (last is not None and year > last):
            return "appraisal.params.out_of_horizon", {"key": year, "first": PLAN_LAST_YEAR + 1,
                                                       "last": last if last is not None else YEAR_BOUNDS[1]}
        ok = isinstance(amount, int | float) and not isinstance(amount, bool) and math.isfinite(amount)
        if not ok or not lo <= amount <= hi:
            return "appraisal.params.bad_amount", {"key": year, "low": f"{lo:g}", "high": f"{hi:g}",
                                                   "got": _show(amount)}
    return None


def _check_running_costs(data: Mapping[str, Any], label: str) -> dict[str, Any]:
    """``data`` with ``running_costs_keur`` checked (``None`` read as none); ParameterError in fr and en.

    Each year must lie after :data:`PLAN_LAST_YEAR` and not after ``horizon_end``; each amount
    is k€ per year in ``BOUNDS["running_costs_keur"]``.
    """
    from incubo_analysis.labels import label as text

    out = dict(data)
    value = out.get("running_costs_keur")
    if value is None:
        out["running_costs_keur"] = {}
        return out
    problem = _running_costs_problem(value, out.get("horizon_end"))
    if problem is not None:
        key, fields = problem
        texts = {lang: text(key, lang).format(file=label, **fields) for lang in ("fr", "en")}
        raise ParameterError(texts["en"], texts=texts)
    return out


def _validate(data: Mapping[str, Any], label: str) -> Scenario:
    data = _check_running_costs(data, label)
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
        raise _refusal(source, _say("top_not_mapping", kind=_kind(mapping)))
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
    if key in ("phasing", "running_costs_keur"):
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
    path = scenario_file_path(name, directory, lang=lang)
    if path.exists() and not replace:
        raise _save_refusal("save.exists", lang, file=path.name)
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

    from incubo_analysis.paths import NON_SCENARIO_FILES, PARAMS_DIR

    text = (name or "").strip()
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(\.ya?ml)?$", text):
        raise _save_refusal("save.bad_name", lang, file=_show(text))
    if not text.lower().endswith((".yaml", ".yml")):
        text += ".yaml"
    path = Path(directory if directory is not None else PARAMS_DIR) / text
    if path.stem.lower() == "baseline" or path.resolve() == BASELINE_PARAMS.resolve():
        raise _save_refusal("save.baseline", lang, file=repr(text))
    if path.name.lower() in NON_SCENARIO_FILES and path.parent.resolve() == PARAMS_DIR.resolve():
        raise _save_refusal("save.not_scenario", lang, file=repr(text))
    if path.is_dir():
        raise _save_refusal("save.is_folder", lang, file=path.name)
    if not path.parent.is_dir():
        raise _save_refusal("save.no_folder", lang, file=path.name, folder=path.parent.name)
    return path
