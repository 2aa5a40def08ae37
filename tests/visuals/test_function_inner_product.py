"""function_inner_product: the curves, the shaded areas and the readout read back from the mobjects and
compared with scipy's quadrature and closed forms; located errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from mmlanim import theme
from mmlanim.lecture import load_lecture

from .conftest import build, lecture, problems


def quad(h, a, b):
    return integrate.quad(h, a, b, limit=200, epsabs=1e-12, epsrel=1e-12)[0]


def coords(plane, points) -> np.ndarray:
    return np.array([plane.p2c(p)[:2] for p in points])


def shoelace(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def drawn_areas(v, upto):
    """(area above, area below) of the shading drawn up to x = ``upto``, from its polygons' corners."""
    v.sweep.set_value(upto)
    v.shading.update()
    above = below = 0.0
    for poly in v.shading:
        if not len(poly.points) or poly.get_fill_opacity() == 0:
            continue
        pts = coords(v.p_plane, poly.get_anchors())
        ys = pts[:, 1]
        assert np.all(ys >= -1e-9) or np.all(ys <= 1e-9)  # each piece lies on one side of the axis
        if poly.get_fill_color().to_hex().upper() == theme.PALETTE[2]:
            above += shoelace(pts)
        else:
            below -= shoelace(pts)
    return above, below


CASES = [
    ("sin(x)", "cos(x)", ["-pi", "pi"], np.sin, np.cos, (-math.pi, math.pi)),
    ("x", "x^2", [-1, 1], lambda x: x, lambda x: x**2, (-1, 1)),
    ("exp(sin(x))", "x - 1", [0, 3], lambda x: np.exp(np.sin(x)), lambda x: x - 1, (0, 3)),
]


@pytest.mark.parametrize("f, g, domain, np_f, np_g, ab", CASES)
def test_curves_and_shaded_areas_match_quad(f, g, domain, np_f, np_g, ab):
    v, _, steps = build("function_inner_product", {"f": f, "g": g, "domain": domain})
    a, b = ab
    product = lambda x: np_f(x) * np_g(x)  # noqa: E731
    # f and g drawn on the top axes, f·g on the bottom ones
    for curve, fn, plane in ((v.f_curve, np_f, v.plane), (v.g_curve, np_g, v.plane), (v.p_curve, product, v.p_plane)):
        pts = np.concatenate([coords(plane, run.get_anchors()) for run in curve])
        assert np.allclose(pts[:, 1], fn(pts[:, 0]), atol=1e-6)
        assert pts[:, 0].min() == pytest.approx(a) and pts[:, 0].max() == pytest.approx(b)
    # the shaded regions' areas, above and below the axis, are the integrals of f·g's two parts
    above, below = drawn_areas(v, b)
    assert above == pytest.approx(quad(lambda x: max(product(x), 0.0), a, b), abs=2e-3)
    assert below == pytest.approx(quad(lambda x: min(product(x), 0.0), a, b), abs=2e-3)
    # halfway, the shading covers [a, m] only
    m = (a + b) / 2
    above_m, below_m = drawn_areas(v, m)
    assert above_m + below_m == pytest.approx(quad(product, a, m), abs=2e-3)
    # the panel's numbers
    inner = quad(product, a, b)
    assert v.shown["inner"] == pytest.approx(inner, abs=1e-9)
    assert v.shown["positive"] + v.shown["negative"] == pytest.approx(inner, abs=1e-9)
    nf, ng = math.sqrt(quad(lambda x: np_f(x) ** 2, a, b)), math.sqrt(quad(lambda x: np_g(x) ** 2, a, b))
    assert (v.shown["norm_f"], v.shown["norm_g"]) == pytest.approx((nf, ng), rel=1e-9)
    assert v.shown["angle_degrees"] == pytest.approx(math.degrees(math.acos(inner / (nf * ng))), abs=1e-6)
    assert v.shown["orthogonal"] == (abs(inner) < 1e-9)
    assert all(steps[name] for name in ("show_functions", "show_product", "shade_area", "show_lengths", "show_angle"))


def test_readout_counts_up_to_the_integral():
    v, _, _ = build("function_inner_product", {"f": "x", "g": "exp(x)", "domain": [-1, 2]}, draw_text=True)
    number = v.readout[1]
    for upto in (0.0, 1.3, 2.0):
        v.sweep.set_value(upto)
        number.update()
        exact = quad(lambda x: x * np.exp(x), -1, upto)  # = (upto - 1) e^upto + 2/e
        assert exact == pytest.approx((upto - 1) * math.exp(upto) + 2 / math.e)
        assert number.get_value() == pytest.approx(exact, abs=1e-6)


def test_orthogonal_pair_says_so_and_a_general_pair_does_not():
    v, _, _ = build("function_inner_product", {"f": "x", "g": "x^2", "domain": [-1, 1]}, draw_text=True)
    assert "orthogonal" in v.verdict.tex_string and v.shown["orthogonal"]  # the word is drawn
    v, _, _ = build("function_inner_product", {"f": "1", "g": "x", "domain": [0, 1]}, draw_text=True)
    assert not hasattr(v.verdict, "tex_string") and not v.shown["orthogonal"]
    assert v.shown["inner"] == pytest.approx(0.5, abs=1e-12)
    assert v.shown["cos"] == pytest.approx(0.5 / (1 * math.sqrt(1 / 3)))


def test_bad_expression_is_located_at_its_column(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: function_inner_product
        f: sin(x)
        g: cos(x) + $
        """))
    assert "lecture.yaml:8:19: formula is not valid" in message  # at the stray '$' of g


def test_backwards_domain_is_located(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: function_inner_product
        domain: [pi, -pi]
        """))
    assert "lecture.yaml:7:" in message and "must go from low to high, got [3.14159, -3.14159]" in message
    assert "domain: domain" not in message  # the field is named once, by its location


def test_function_undefined_in_the_domain_is_refused(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: function_inner_product
        f: log(x)
        g: x
        domain: [-1, 1]
        """))
    assert "lecture.yaml:7:" in message and "f(x) is not a finite number at x = -1" in message



def test_bound_that_is_not_a_number_and_a_zero_function_are_located(tmp_path):
    [message] = problems(lecture(tmp_path, """
        kind: function_inner_product
        domain: [0, x + 1]
        """))
    assert "lecture.yaml:7:" in message and "b must be a number, not a formula in x" in message
    [message] = problems(lecture(tmp_path, """
        kind: function_inner_product
        f: x
        g: 0*x
        domain: [0, 1]
        """))
    assert "lecture.yaml:8:" in message and "g is zero on the whole interval" in message

def test_the_sweep_finished_at_once_leaves_the_whole_area_shaded():
    """The next segment opens on this one's last picture, rebuilt by finishing each animation at once."""
    v, _, steps = build("function_inner_product", {"f": "sin(x)", "g": "cos(x)", "domain": ["-pi", "pi"]},
                        draw_text=True)
    v.sweep_to(v.result.a)
    for step in steps["shade_area"]:
        for animation in step:
            animation.begin()
            animation.finish()
    colours = sorted(poly.get_fill_color().to_hex().upper() for poly in v.shading)
    # sin·cos is positive on two quarters of [-π, π] (green), negative on two (pink)
    assert colours == sorted([theme.PALETTE[2]] * 2 + [theme.PALETTE[3]] * 2)
    assert v.readout[1].get_value() == pytest.approx(0.0, abs=1e-12)
    v.sweep.set_value(0.0)  # swept: the picture no longer follows the tracker
    v.shading.update()
    assert len(v.shading) == 4


def test_the_inner_products_lecture_says_the_numbers_it_shows():
    """lectures/pca/02-inner-products.yaml: sin and cos on [-π, π], as the narration says them."""
    from pathlib import Path

    from mmlanim.visuals._layout import fmt

    path = Path(__file__).resolve().parents[2] / "lectures" / "pca" / "02-inner-products.yaml"
    loaded = load_lecture(path)
    [segment] = [s for s in loaded.lecture.segments if s.visual.kind == "function_inner_product"]
    said = " ".join(cue.say for cue in segment.narration)
    v, _, _ = build("function_inner_product", segment.visual.model_dump(exclude={"kind"}))
    # closed forms: ⟨sin, cos⟩ = 0, ‖sin‖ = ‖cos‖ = √π, the areas ±1 (∫_0^{π/2} sin cos = 1/2, four quarters)
    assert v.shown["inner"] == 0 and "inner product of sine and cosine is zero" in said
    assert fmt(v.shown["norm_f"]) == fmt(math.sqrt(math.pi)) == "1.77" and "one point seven seven" in said
    assert (fmt(v.shown["positive"]), fmt(v.shown["negative"])) == ("1", "-1")
    assert "area is one; below it, minus one" in said
    assert v.shown["angle_degrees"] == 90 and "ninety degrees" in said and v.shown["orthogonal"]
