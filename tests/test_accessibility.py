"""What the kit draws, checked for WCAG 2.1 AA without a browser (tests/browser/test_accessibility.py runs axe-core).

- every chart is an image with a name and a description that states the numbers drawn, in the learner's language,
  and its data as a table (collapsed);
- tables have header cells with scope and no empty header;
- the chart palette stays apart under protanopia, deuteranopia and tritanopia (simulated with the matrices of
  Machado, Oliveira and Fernandes 2009, severity 1) and has 3:1 contrast with the white ground; text colours
  have 4.5:1; pass and fail are also written.
"""

import html
import itertools
import re

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import _html
from lifecycle_kit.i18n import language

# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", IEEE TVCG 15(6), table of matrices at severity 1.0; applied to linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "typical vision": np.eye(3).tolist(),
}
# Categorical colours must differ clearly, not just noticeably (CIEDE2000 of about 2.3 is a just noticeable
# difference): 10 is what the old palette's red and green fell short of under protanopia.
DISTINCT = 10.0


def _linear(hex_colour):
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear_rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _ciede2000(lab1, lab2):
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_m, c_m = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_m = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_m = (h1p + h2p) / 2
    else:
        h_m = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_m - 30)) + 0.24 * np.cos(np.radians(2 * h_m))
         + 0.32 * np.cos(np.radians(3 * h_m + 6)) - 0.20 * np.cos(np.radians(4 * h_m - 63)))
    r_c = 2 * np.sqrt(c_m ** 7 / (c_m ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_m - 50) ** 2 / np.sqrt(20 + (l_m - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_m, 1 + 0.015 * c_m * t
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_m - 275) / 25) ** 2)))) * r_c
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)))


def closest_pair(colours, vision):
    """The two colours that look most alike to ``vision``, and their CIEDE2000 difference."""
    matrix = np.array(CVD[vision])
    seen = {c: _lab(matrix @ _linear(c)) for c in colours}
    return min((_ciede2000(seen[a], seen[b]), a, b) for a, b in itertools.combinations(colours, 2))


def contrast(foreground, background="#ffffff"):
    """WCAG 2.1 contrast ratio."""
    def luminance(c):
        return float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(c))
    low, high = sorted([luminance(foreground), luminance(background)])
    return (high + 0.05) / (low + 0.05)


def test_the_colour_difference_matches_published_ciede2000_pairs():
    # Sharma, Wu and Dalal (2005), test data for CIEDE2000: pairs 1 and 17.
    assert _ciede2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425, abs=1e-3)
    assert _ciede2000((50.0, 2.5, 0.0), (73.0, 25.0, -18.0)) == pytest.approx(27.1492, abs=1e-3)


@pytest.mark.parametrize("vision", list(CVD))
def test_the_chart_palette_stays_apart_under_colour_vision_deficiencies(vision):
    difference, a, b = closest_pair(_html.PALETTE, vision)
    assert difference >= DISTINCT, f"{a} and {b} look alike under {vision} (CIEDE2000 {difference:.1f})"
    difference, a, b = closest_pair([_html.PASS_FILL, _html.FAIL_FILL, _html.CAUTION_FILL, _html.NEUTRAL_FILL], vision)
    assert difference >= DISTINCT, f"bar colours {a} and {b} look alike under {vision} (CIEDE2000 {difference:.1f})"


def test_the_simulation_rejects_the_palette_the_kit_used_before():
    """The check can fail: the old palette's blue and purple merge under deuteranopia, its red and green under
    protanopia."""
    old = ["#1a73e8", "#d93025", "#188038", "#f9ab00", "#9334e6", "#12b5cb", "#e8710a", "#5f6368"]
    assert closest_pair(old, "deuteranopia")[0] < 3
    assert closest_pair(["#34a853", "#d93025"], "deuteranopia")[0] < DISTINCT
    assert closest_pair(old[:3], "protanopia")[0] < DISTINCT


def test_chart_colours_have_3_to_1_and_text_colours_4_5_to_1_contrast():
    graphics = [*_html.PALETTE, _html.PASS_FILL, _html.FAIL_FILL, _html.CAUTION_FILL, _html.NEUTRAL_FILL]
    assert {c: round(contrast(c), 2) for c in graphics if contrast(c) < 3.0} == {}
    texts = [re.search(r"color:(#[0-9a-fA-F]{6})", style).group(1)
             for style in (_html.PASS_STYLE, _html.FAIL_STYLE, _html.NA_STYLE)] + ["#202124", "#5f6368", "#a50e0e"]
    for background in ("#ffffff", "#f8f9fa", "#f1f3f4"):  # the page, a verdict box, a table header
        assert {c: round(contrast(c, background), 2) for c in texts if contrast(c, background) < 4.5} == {}
    # The lifecycle map's selected stage: white number on blue.
    assert contrast("#ffffff", "#1a73e8") >= 4.5
    # A self-check's feedback: its text on its background (and a mark, so not by colour alone).
    from lifecycle_kit.exercises import _COLOURS

    assert {status: round(contrast(text, background), 2) for status, (background, text, mark) in _COLOURS.items()
            if contrast(text, background) < 4.5 or not mark} == {}


def _parts(chart):
    svg = re.search(r"<svg[^>]*>", chart).group(0)
    title = re.search(r"<title>(.*?)</title>", chart).group(1)
    desc = re.search(r"<desc>(.*?)</desc>", chart).group(1)
    return svg, html.unescape(title), html.unescape(desc)


def test_a_line_chart_says_how_each_series_moves_in_numbers_computed_from_its_data():
    chart = _html.line_chart_svg([0.0, 0.1, 0.2, 0.3, 0.4], {"accuracy": [0.96, 0.93, 0.9, 0.8, 0.71],
                                                             "recall": [0.9, 0.5, 0.95, 0.92, 0.91]},
                                 title="No defence", xlabel="poisoned share", marker_x=0.2,
                                 reference=("clean accuracy", 0.96))
    svg, title, desc = _parts(chart)
    assert "role='img'" in svg and "aria-label='No defence'" in svg and title == "No defence"
    assert "accuracy falls from 0.96 to 0.71 as poisoned share goes from 0 to 0.4." in desc
    # A series that dips and comes back: its lowest point is said, where it is.
    assert "recall stays near 0.9" not in desc and "lowest 0.5 at poisoned share 0.1" in desc
    assert "chosen poisoned share, 0.2" in desc and "clean accuracy, 0.96" in desc
    # The same numbers in a table under the chart, collapsed, with header cells that say their scope.
    table = chart.split("<details", 1)[1]
    assert "<details" in chart and " open" not in chart.split("<details", 1)[1].split(">", 1)[0]
    assert "<th scope='col'" in table and "<th scope='row'" in table and "0.71" in table


def test_descriptions_change_with_the_data():
    falling = _parts(_html.line_chart_svg([0, 1], {"a": [0.9, 0.2]}, xlabel="x"))[2]
    rising = _parts(_html.line_chart_svg([0, 1], {"a": [0.2, 0.9]}, xlabel="x"))[2]
    flat = _parts(_html.line_chart_svg([0, 1], {"a": [0.5, 0.5]}, xlabel="x"))[2]
    assert "falls from 0.9 to 0.2" in falling and "rises from 0.2 to 0.9" in rising and "stays near 0.5" in flat


def test_a_chart_is_described_in_the_learners_language():
    with language("ru"):
        chart = _html.line_chart_svg([0.0, 0.4], {"точность": [0.96, 0.71]}, xlabel="доля отравления")
    desc = _parts(chart)[2]
    assert desc.startswith("точность: снижается с 0,96 до 0,71, когда доля отравления меняется от 0 до 0,4")
    assert "Данные графика" in chart


def test_bar_chart_says_pass_and_fail_in_words_and_marks_not_only_in_colour():
    chart = _html.bar_chart_svg(["completeness", "uniqueness", "accuracy"], [0.98, 0.71, 0.9],
                                thresholds=[0.95, 0.9, 0.8], passed=[True, False, True], title="Quality")
    desc = _parts(chart)[2]
    assert "3 bars" in desc and "highest completeness 0.980" in desc and "lowest uniqueness 0.710" in desc
    assert "2 of 3 pass" in desc and "not passing: uniqueness" in desc
    assert "0.710 ✗" in chart and "0.980 ✓" in chart  # the mark is drawn next to the bar
    assert _html.FAIL_FILL in chart and "#d93025" not in chart


def test_bar_chart_categories_told_by_colour_are_also_written():
    chart = _html.bar_chart_svg(["age", "id"], [0.1, 0.9], colours=[_html.PALETTE[0], _html.FAIL_FILL],
                                notes=["relevant", "suspected leak"])
    assert "0.900 (suspected leak)" in chart and "suspected leak: id" in _parts(chart)[2]


def test_other_charts_state_their_numbers():
    hist = _parts(_html.histogram_svg([0, 0.5, 1], {"below": [3, 0], "above": [0, 5]}, threshold=0.5,
                                      threshold_label="threshold", title="Scores"))[2]
    assert "8 values" in hist and "below: 3" in hist and "above: 5" in hist and "threshold at 0.5" in hist
    roc = _parts(_html.roc_curve_svg([0, 0.2, 1], [0, 0.7, 1], auc=0.75))[2]
    assert "(AUC) 0.750" in roc and "above the dashed diagonal y = x at 1 of them" in roc
    interval = _parts(_html.interval_svg(0.62, 0.57, 0.66, margin=0.55, label="AUC"))[2]
    assert "AUC: 0.620, interval from 0.570 to 0.660" in interval and "whole interval lies above the margin 0.55" in interval
    grid = _parts(_html.image_grid_svg([[0] * 4, [16] * 4], captions=["1 -> 1", "2 -> 0"], shape=(2, 2),
                                       highlight=[3], title="Digits", highlight_label="the trigger"))[2]
    assert "2 images of 2 by 2 pixels" in grid and "1 -> 1; 2 -> 0" in grid and "1 pixel outlined (the trigger)" in grid


def test_two_charts_on_a_page_do_not_share_ids_and_a_chart_is_the_same_every_time():
    a, b = (_html.bar_chart_svg(["x"], [0.5], title="Quality") for _ in range(2))
    assert re.findall(r"\bid=", a) == []  # named by its first <title>, so no id can clash on a page
    assert a == b  # a report made twice is the same file
    assert a.index("<title>Quality</title>") < a.index("<desc>") < a.index("<rect")


def test_tables_have_header_scope_and_no_empty_header():
    shown = _html.table_html(pd.DataFrame({"measure": ["a"], "": [1.0], "passed": [True]}))
    assert "<th>" not in shown and "<th></th>" not in shown
    assert all("scope='col'" in th for th in re.findall(r"<th\b[^>]*>", shown))
    assert ">row<" in shown  # the empty header says "row" to a screen reader
    frame = pd.DataFrame([[5, 1], [2, 7]], index=pd.Index(["malignant", "benign"], name="true class"),
                         columns=pd.Index(["malignant", "benign"], name="predicted class"))
    lab_table = _html.frame_html(frame)
    assert "<th></th>" not in lab_table and "true class \\ predicted class</th>" in lab_table
    assert lab_table.count("scope='col'") == 3 and lab_table.count("scope='row'") == 2
    unnamed = _html.frame_html(pd.DataFrame({"a": [1, 2]}))
    assert re.search(r"<th scope='col'><span style='[^']*'>row</span></th>", unnamed)


def test_a_wide_table_scrolls_in_a_region_a_keyboard_can_reach():
    wide = pd.DataFrame({f"column number {i}": ["a value of some length"] for i in range(12)})
    shown = _html.frame_html(wide)
    assert shown.startswith("<div role='region' tabindex='0' aria-label='Wide table (12 columns")
    assert not _html.frame_html(pd.DataFrame({"a": [1]})).startswith("<div")


def test_verdicts_say_pass_and_fail_with_a_mark_as_well_as_a_colour():
    assert "✓ all good" in _html.verdict_html(True, "all good")
    assert "✗ blocked" in _html.verdict_html(False, "blocked")
    assert "✓" not in _html.verdict_html(None, "n/a") and "✗" not in _html.verdict_html(None, "n/a")


def test_a_report_page_has_its_language_and_a_main_landmark():
    with language("ru"):
        page = _html.page("Отчёт", [("Раздел", "<p>текст</p>")])
    assert "<html lang='ru'>" in page and page.count("<main>") == 1 and page.index("<h1>") > page.index("<main>")


def test_every_lab_chart_has_a_text_alternative_and_every_table_a_header_scope():
    """Each lab's default drawing, as the learner sees it: no SVG without a <title> and <desc>, no <th> without
    a scope, no empty header."""
    import lifecycle_kit.labs as labs
    from lifecycle_kit.labs import _LABS
    from lifecycle_kit.labs.base import _displayable

    checked = 0
    for name in _LABS:
        if name in ("Lab", "SelfCheck", "EarlierStages"):  # the base, and boxes of self-checks: no drawing
            continue
        lab = getattr(labs, name)()
        shown = "".join(_displayable(item).data if hasattr(_displayable(item), "data") else str(item)
                        for item in lab.render(lab.result))
        for svg in re.findall(r"<svg.*?</svg>", shown, flags=re.S):
            head = svg.split(">", 1)[0]
            if "role='img'" in head or 'role="img"' in head:
                assert "<title" in svg and "<desc" in svg, f"{name}: a chart without a text alternative"
                checked += 1
        for th in re.findall(r"<th\b[^>]*>(?:\s*</th>)?", shown):
            assert "scope=" in th and not th.endswith("</th>"), f"{name}: header cell {th!r}"
    assert checked >= 12
