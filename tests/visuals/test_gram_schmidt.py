"""gram_schmidt: the drawn orthonormal vectors, read back from the arrows, against numpy.linalg.qr."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import build
from .test_data_and_checks import lecture, problems


def drawn(v, arrow) -> np.ndarray:
    """Where an arrow ends, in the visual's own coordinates (plane or space)."""
    end = arrow[0].get_end()
    coords = np.asarray(v.axes.p2c(end), dtype=float)
    return coords[:len(v.params.vectors[0])]


@pytest.mark.parametrize("vectors", [
    [[3, 1, 0], [2, 2, 1], [0, 1, 3]],
    [[1, 2, 2], [-1, 0, 2], [0, 0, 1]],
    [[2, 1, 1], [1, 3, 0]],
    [[3, 1], [1, 2]],
    [[-1, 2], [2, 2]],
])
def test_drawn_units_are_orthonormal_and_agree_with_qr(vectors):
    v, _, steps = build("gram_schmidt", {"vectors": vectors})
    A = np.asarray(vectors, dtype=float)
    E = np.array([drawn(v, a) for a in v.e_arrows])
    assert E @ E.T == pytest.approx(np.eye(len(A)), abs=1e-6)
    Q, R = np.linalg.qr(A.T)  # Q's columns: the same orthonormal vectors, each up to its sign
    signs = np.sign(np.diag(R))
    assert E == pytest.approx((Q * signs).T, abs=1e-6)
    # what is left of each vector (u) is at right angles to every earlier unit, and points along its unit
    for i in range(1, len(A)):
        u = drawn(v, v.pieces[i]["residual"])
        assert np.abs(E[:i] @ u).max() < 1e-6
        assert u / np.linalg.norm(u) == pytest.approx(E[i], abs=1e-6)
        # the projections drawn tip to tail end at the foot of the drop from v
        if v.pieces[i]["projections"]:
            foot = drawn(v, v.pieces[i]["projections"][-1])
            assert foot == pytest.approx(A[i] - u, abs=1e-6)
    assert all(steps[name] for name in ("show_vectors", "normalise_first", "project_second", "check_orthonormal"))
    assert bool(steps["project_third"]) == (len(A) == 3)


def test_panel_states_the_projection_coefficients(tmp_path):
    from .test_names import _Recording

    ctx = _Recording(draw_text=False, formulas=[])
    from mmlanim.visuals import registry

    cls = registry()["gram_schmidt"]
    visual = cls(cls.model.model_validate({"kind": "gram_schmidt", "vectors": [[3, 1], [1, 2]]})).bound(ctx)
    from .conftest import FakeScene

    visual.setup(FakeScene())
    typed = ["".join(parts) for parts, _ in ctx.formulas]
    # v2·e1 = (3 + 2) / sqrt(10) = 1.58; u2 = v2 - 0.5 v1 = (-0.5, 1.5); |u2| = sqrt(2.5) = 1.58
    assert any(r"- 1.58\,\begin{bmatrix}0.95\\0.32\end{bmatrix}" in t for t in typed)
    assert any(r"\begin{bmatrix}-0.5\\1.5\end{bmatrix}" in t for t in typed)


def test_two_dimensional_vectors_are_seen_from_above():
    _, scene, _ = build("gram_schmidt", {"vectors": [[3, 1], [1, 2]]})
    assert scene.camera_orientation["phi"] == 0


def test_dependent_vectors_are_located_at_the_vector(tmp_path):
    path = lecture(tmp_path, """
        kind: gram_schmidt
        vectors: [[1, 0, 0], [0, 1, 0], [2, 3, 0]]
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:" in message and "v3 is in the span" in message


def test_mixed_lengths_and_three_plane_vectors_are_refused(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: gram_schmidt
        vectors: [[1, 0], [0, 1, 0]]
        """))
    assert "same length" in message
    [message] = problems(lecture(tmp_path, """
        kind: gram_schmidt
        vectors: [[1, 0], [0, 1], [1, 1]]
        """))
    assert "at most two" in message
