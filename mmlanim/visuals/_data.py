"""The data source shared by the data visuals (``linear_regression``, ``pca_projection``).

In a lecture, ``data:`` is one of::

    data: {points: [[1, 2], [2, 3.5], [3, 3]]}              # inline rows
    data: {csv: data/heights.csv, columns: [height, weight]} # a CSV file next to the lecture
    data: {generate: line, n: 40, slope: 2, intercept: 1, noise: 0.5, seed: 0}
    data: {generate: gaussian, n: 200, mean: [0, 0], cov: [[3, 1.2], [1.2, 1]], seed: 0}
    data: {dataset: diabetes, columns: [bmi, target]}       # shipped with scikit-learn

The form is recognised by its first key (``points``, ``csv``, ``generate``,
``dataset``); the numbers come from :mod:`mmlanim.maths.data`. File paths
are resolved relative to the lecture's folder and must stay inside it.
Nothing here imports manim.
"""

from __future__ import annotations

__all__ = ["DataSource", "LoadedData", "load_data", "source_files", "source_problems"]

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import Discriminator, Field, Tag

from ._types import Range
from .base import VisualParams

if TYPE_CHECKING:
    from ..maths.data import SklearnData

Column = str | int

MAX_CSV_BYTES = 50_000_000
"""Largest CSV file a lecture may read."""


class PointsData(VisualParams):
    """Points written in the lecture."""

    points: list[list[float]] = Field(min_length=2, description="The data, one row per point, e.g. [[1, 2], [2, 3.5]].")


class CsvData(VisualParams):
    """Columns of a CSV file (with a header row) in the lecture's folder."""

    csv: str = Field(description="The CSV file, relative to the lecture file.")
    columns: list[Column] = Field(min_length=1, description="The columns to use, by header name (or 0-based index).")


class LineData(VisualParams):
    """Points scattered about a line, y = slope·x + intercept + noise (seeded)."""

    generate: Literal["line"] = Field(description="Generate points about a line.")
    n: int = Field(40, ge=2, le=5000, description="How many points.")
    slope: float = Field(2.0, description="Slope of the underlying line.")
    intercept: float = Field(1.0, description="Intercept of the underlying line.")
    noise: float = Field(0.5, ge=0, description="Standard deviation of the vertical noise.")
    x_range: Range = Field([0.0, 5.0], description="x is drawn uniformly from this interval.")
    seed: int = Field(0, ge=0, description="Random seed (same seed, same points).")


class GaussianData(VisualParams):
    """Samples of a multivariate normal distribution (seeded)."""

    generate: Literal["gaussian"] = Field(description="Generate a Gaussian cloud.")
    n: int = Field(200, ge=2, le=20000, description="How many points.")
    mean: list[float] = Field([0.0, 0.0], min_length=1, description="The mean.")
    cov: list[list[float]] = Field([[3.0, 1.2], [1.2, 1.0]], description="The covariance matrix "
                                   "(symmetric, positive semi-definite).")
    seed: int = Field(0, ge=0, description="Random seed (same seed, same points).")


class DatasetData(VisualParams):
    """A data set shipped with scikit-learn (no download): iris, digits or diabetes."""

    dataset: Literal["iris", "digits", "diabetes"] = Field(description="The data set.")
    columns: list[Column] | None = Field(None, description="Feature names (e.g. 'bmi', "
                                         "'petal length (cm)') or 0-based indices; 'target' is "
                                         "the data set's target (default: all features).")


_FORMS = ("{points: [[x, y], ...]}", "{csv: FILE, columns: [X, Y]}",
          "{generate: line, n: ..., slope: ..., intercept: ..., noise: ...}",
          "{generate: gaussian, n: ..., mean: [...], cov: [[...]]}",
          "{dataset: iris|digits|diabetes, columns: [...]}")


def _source_form(value: Any) -> str | None:
    if isinstance(value, VisualParams):
        value = value.model_dump()
    if not isinstance(value, dict):
        return None
    for key in ("points", "csv", "dataset"):
        if key in value:
            return key
    if value.get("generate") in ("line", "gaussian"):
        return str(value["generate"])
    return None


DataSource = Annotated[
    Annotated[PointsData, Tag("points")] | Annotated[CsvData, Tag("csv")] | Annotated[LineData, Tag("line")]
    | Annotated[GaussianData, Tag("gaussian")] | Annotated[DatasetData, Tag("dataset")],
    Discriminator(
        _source_form,
        custom_error_type="data_source",
        custom_error_message="data must be one of: " + " | ".join(_FORMS),
    ),
]


@dataclass(frozen=True)
class LoadedData:
    """Loaded data: the rows and a name per column (for axis labels)."""

    values: np.ndarray
    names: tuple[str, ...]


def _loc_of(source: Any, message: str = "") -> tuple[str, ...]:
    """Where in ``data:`` a loading problem is best reported."""
    if isinstance(source, CsvData):
        return ("columns",) if "column" in message and "line" not in message else ("csv",)
    if isinstance(source, DatasetData):
        return ("columns",) if source.columns else ("dataset",)
    return ()


@functools.cache  # a lecture asks for its data set several times
def _kept_dataset(name: str, store: Path) -> SklearnData:
    """scikit-learn's data set ``name``, read back from ``store`` (a verified cache entry per data set and
    scikit-learn version, see :mod:`mmlanim.integrity`) without importing scikit-learn, which takes about a
    second in every process that loads one; on a miss (or a damaged entry) loaded and kept there. A store
    that cannot be written is passed over."""
    from importlib import metadata

    from ..integrity import store_verified, verified_bytes
    from ..maths import data as md

    path = store / f"{name}-scikit-learn-{metadata.version('scikit-learn')}.npz"
    stored = verified_bytes(path)
    if stored is not None:
        with np.load(io.BytesIO(stored), allow_pickle=False) as kept:
            return md.SklearnData(kept["data"], kept["target"], tuple(str(n) for n in kept["names"]))
    loaded = md.load_sklearn(name)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, data=loaded.data, target=loaded.target, names=np.array(loaded.names, dtype=str))

    try:
        store_verified(path, write)
    except OSError:
        pass
    return loaded


def load_data(source: Any, base_dir: Path) -> LoadedData:
    """Load a data source (see the module docstring); raises ValueError with a message for the author."""
    from ..maths import data as md

    if isinstance(source, PointsData):
        values = md.inline_points(source.points)
        names = ("x", "y", "z")[: values.shape[1]] if values.shape[1] <= 3 else \
            tuple(f"x{i + 1}" for i in range(values.shape[1]))
        return LoadedData(values, names)
    if isinstance(source, CsvData):
        from ..maths import MathsError
        from ..paths import resolve_lecture_file

        path = resolve_lecture_file(source.csv, base_dir, "CSV file", max_bytes=MAX_CSV_BYTES)
        try:
            values = md.read_csv(path, source.columns)
        except ValueError as exc:  # name the file as the lecture does, not by its absolute path
            raise MathsError(str(exc).replace(str(path), source.csv)) from None
        return LoadedData(values, tuple(str(c) for c in source.columns))
    if isinstance(source, LineData):
        x, y = md.line_with_noise(source.n, source.slope, source.intercept, source.noise,
                                  source.x_range, source.seed)
        return LoadedData(np.column_stack([x, y]), ("x", "y"))
    if isinstance(source, GaussianData):
        values = md.gaussian_cloud(source.n, source.mean, source.cov, source.seed)
        names = ("x", "y") if values.shape[1] == 2 else tuple(f"x{i + 1}" for i in range(values.shape[1]))
        return LoadedData(values, names)
    if isinstance(source, DatasetData):
        from ..paths import default_cache_dir

        kept = _kept_dataset(source.dataset, default_cache_dir() / "datasets")
        columns = list(source.columns) if source.columns else None
        if columns and "target" in columns:
            features = [c for c in columns if c != "target"]
            table = md.sklearn_dataset(source.dataset, features, loaded=kept) if features else None
            target = md.sklearn_target(source.dataset, loaded=kept).astype(float)
            parts, k = [], 0
            for c in columns:
                if c == "target":
                    parts.append(target)
                else:
                    parts.append(table[:, k])  # type: ignore[index]
                    k += 1
            return LoadedData(np.column_stack(parts), tuple(str(c) for c in columns))
        values = md.sklearn_dataset(source.dataset, columns, loaded=kept)
        names = tuple(str(c) for c in columns) if columns else tuple(f"x{i + 1}" for i in range(values.shape[1]))
        return LoadedData(values, names)
    raise TypeError(f"not a data source: {source!r}")  # pragma: no cover


def source_problems(source: Any, base_dir: Path, *, columns: int | None = None,
                    at: tuple[str | int, ...] = ("data",)) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems loading ``source`` (for a visual's ``check``), located under ``at``.

    ``columns``: the number of columns the visual needs, if fixed.
    """
    try:
        loaded = load_data(source, base_dir)
    except ValueError as exc:  # MathsError, NarrationError
        return [((*at, *_loc_of(source, str(exc))), str(exc))]
    if columns is not None and loaded.values.shape[1] != columns:
        where = ("columns",) if isinstance(source, (CsvData, DatasetData)) else ()
        return [((*at, *where), f"this visual needs {columns} columns of data, got "
                 f"{loaded.values.shape[1]}")]
    return []


def source_files(source: Any, base_dir: Path) -> list[Path]:
    """The files a data source reads (for ``Visual.input_files``: cache keys and ``--watch``)."""
    if not isinstance(source, CsvData):
        return []
    from ..paths import resolve_lecture_file

    try:
        return [resolve_lecture_file(source.csv, base_dir, "CSV file")]
    except ValueError:  # missing or outside: validation reports it; watch the path as written
        return [Path(base_dir) / source.csv]
