"""Numeric core of mmlanim: every number shown on screen is computed here.

Pure numpy + sympy (scikit-learn only lazily, for its bundled data sets);
never imports manim. Bad input raises :class:`MathsError`, a
:class:`ValueError` with a message meant for the lecture author.

Vectors written "as a sequence" are rows: ``[[2, 1], [-2, 4]]`` is b1 = (2, 1),
b2 = (-2, 4). Batches of points have shape ``(..., n)``.
"""

from __future__ import annotations

from . import calculus as _calculus
from . import data as _data
from . import expressions as _expressions
from . import geometry as _geometry
from . import linalg as _linalg
from . import multivariate as _multivariate
from . import orthonormal as _orthonormal
from . import pagerank as _pagerank
from . import pca as _pca
from . import regression as _regression
from . import statistics as _statistics
from ._validation import MathsError
from .calculus import *  # noqa: F403
from .data import *  # noqa: F403
from .expressions import *  # noqa: F403
from .geometry import *  # noqa: F403
from .linalg import *  # noqa: F403
from .multivariate import *  # noqa: F403
from .orthonormal import *  # noqa: F403
from .pagerank import *  # noqa: F403
from .pca import *  # noqa: F403
from .regression import *  # noqa: F403
from .statistics import *  # noqa: F403

# Note: the functions ``pagerank`` and ``pca`` shadow their submodules as
# attributes of this package; import submodule contents with
# ``from mmlanim.maths.pca import PCA`` (which always works).
__all__ = [
    "MathsError",
    *_calculus.__all__,
    *_data.__all__,
    *_expressions.__all__,
    *_geometry.__all__,
    *_linalg.__all__,
    *_orthonormal.__all__,
    *_multivariate.__all__,
    *_pagerank.__all__,
    *_pca.__all__,
    *_regression.__all__,
    *_statistics.__all__,
]
