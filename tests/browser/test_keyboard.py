"""Notebook 04 with the keyboard only: reach every control of its labs and self-checks, operate them, check an
answer, reveal a solution; a screen reader is told each new result.

The walk starts where a keyboard or screen-reader user arrives at a lab, its heading (focused from the test, as
heading navigation would), and from there only keys are pressed: Tab, arrows, Space, Enter. Every control is
reached by Tab and named by its visible label (the accessible name Chromium gives it, read through the DevTools
protocol, as a screen reader would get it);
a slider moves with an arrow key, a dropdown with ArrowDown, a checkbox with Space, and after each the lab's
summary, a polite live region that stays the same element, says the new result.
"""

import time

import pytest

from tests.browser.lab_driver import lab_locator, open_notebook, run_all, summary_text, wait_for_change

pytestmark = pytest.mark.browser

NOTEBOOK = "04_data_acquisition.ipynb"

# What the focused element is (its accessible name is read from Chromium's accessibility tree).
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const lab = el.closest('.lk-lab, .lk-self-check');
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', role: el.getAttribute('role') || '',
    text: (el.textContent || '').trim().slice(0, 60),
    lab: lab ? [...lab.classList].find(c => c.startsWith('lk-') && c !== 'lk-lab') : null,
    index: lab ? [...document.querySelectorAll('.lk-lab, .lk-self-check')].indexOf(lab) : -1,
    control: el.matches('select, input, button, [role="slider"]'),
  };
}"""

_CONTROLS = """(root) => [...root.querySelectorAll('select, input, button, [role="slider"]')]
  .filter(el => el.offsetParent !== null)
  .map(el => ({tag: el.tagName.toLowerCase(), type: el.type || '', role: el.getAttribute('role') || '',
               label: (el.closest('.widget-inline-hbox, .widget-checkbox, .widget-radio-box label, label')
                       ?.querySelector(':scope > .widget-label, :scope > span') ?.textContent || el.textContent || '')
                       .replace(/\\u00a0/g, ' ').trim()}))"""


def _focused(page):
    """The focused element, with the role and accessible name Chromium's accessibility tree gives it."""
    focused = page.evaluate(_FOCUSED)
    if focused is None:
        return None
    cdp = page.context.new_cdp_session(page)
    try:
        handle = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})["result"]
        nodes = cdp.send("Accessibility.getPartialAXTree", {"objectId": handle["objectId"], "fetchRelatives": False})
        node = nodes["nodes"][0]
        focused["name"] = str(node.get("name", {}).get("value", "")).replace("\u00a0", " ").strip()
        focused["ax_role"] = node.get("role", {}).get("value", "")
    finally:
        cdp.detach()
    return focused


def _start_at_heading(page, root):
    """Put the keyboard focus on a lab's or question's heading, as heading navigation would."""
    root.evaluate("r => { const h = r.querySelector('h3, .lk-question .widget-html-content');"
                  "h.setAttribute('tabindex', '-1'); h.focus(); }")


def _tab_through(page, root, index, *, limit=40):
    """Press Tab until focus leaves the lab or question; return what was focused, in order."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if not focused or focused["index"] != index:
            break
        reached.append(focused)
    return reached


def _mark_summary(root):
    root.evaluate("r => { r.querySelector('.lk-summary').dataset.lkMark = 'kept'; }")


def _summary_kept_and_live(root):
    return root.evaluate("r => { const s = r.querySelector('.lk-summary');"
                         "return s.dataset.lkMark === 'kept' && s.getAttribute('aria-live') === 'polite'; }")


def _walk_lab(page, lab_class):
    lab = lab_locator(page, lab_class)
    lab.scroll_into_view_if_needed()
    index = lab.evaluate("r => [...document.querySelectorAll('.lk-lab, .lk-self-check')].indexOf(r)")
    controls = lab.evaluate(_CONTROLS)
    _start_at_heading(page, lab)
    reached = _tab_through(page, lab, index)
    reached_controls = [r for r in reached if r["control"]]
    assert len(reached_controls) == len(controls), (
        f"{lab_class}: Tab reached {len(reached_controls)} of its {len(controls)} controls: {reached_controls}")
    for r, c in zip(reached_controls, controls):
        assert r["name"], f"{lab_class}: a {r['tag']} {r['role']} has no accessible name"
        if c["label"] and r["tag"] != "button":
            assert c["label"] in r["name"], f"{lab_class}: {r['tag']} named {r['name']!r}, its label says {c['label']!r}"
    return lab, reached_controls


def _operate(page, lab, key, focus_selector, description):
    """Focus the control by Tab from the heading, press ``key``, and see the live summary say a new result."""
    index = lab.evaluate("r => [...document.querySelectorAll('.lk-lab, .lk-self-check')].indexOf(r)")
    _start_at_heading(page, lab)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({focus_selector!r})"):
            break
        assert page.evaluate(_FOCUSED)["index"] == index, f"{description}: Tab left the lab before reaching it"
    _mark_summary(lab)
    before = summary_text(lab)
    page.keyboard.press(key)
    after = wait_for_change(lab, before, timeout=60)
    assert _summary_kept_and_live(lab), f"{description}: the summary was replaced or is not a live region"
    return after


def test_notebook_04_with_the_keyboard_only(page, lab_server, artifacts):
    open_notebook(page, lab_server, NOTEBOOK)
    assert run_all(page) == []

    # The poisoning lab: three dropdowns, a slider and three checkboxes, each reached and named by its label.
    lab, reached = _walk_lab(page, "PoisoningLab")
    kinds = [(r["tag"], r["type"], r["role"]) for r in reached]
    assert kinds.count(("select", "select-one", "")) == 3 and kinds.count(("div", "", "slider")) == 1
    assert kinds.count(("input", "checkbox", "")) == 3
    assert any(r["name"] == "Poisoning rate" for r in reached)
    after = _operate(page, lab, "ArrowRight", "[role=slider]", "the poisoning-rate slider")
    assert "training labels flipped" in after
    after = _operate(page, lab, "ArrowDown", "select", "the attack dropdown")
    assert "malignant recall" in after
    after = _operate(page, lab, "Space", "input[type=checkbox]", "the first defence")
    assert "label-noise filter" in after and "flagged" in after

    # The backdoor lab: two sliders (one with an editable readout) and a dropdown.
    lab, reached = _walk_lab(page, "BackdoorLab")
    assert sum(r["role"] == "slider" for r in reached) == 2
    after = _operate(page, lab, "ArrowLeft", "[role=slider]", "the poisoned-share slider")
    assert "training digits poisoned" in after

    # A self-check: Tab to the options (a radio group named by the question), pick with an arrow, Tab to Check,
    # Enter; Tab to Show solution, Enter.
    check = page.locator(".lk-self-check").first
    check.scroll_into_view_if_needed()
    index = check.evaluate("r => [...document.querySelectorAll('.lk-lab, .lk-self-check')].indexOf(r)")
    assert check.evaluate("r => r.querySelector('[role=radiogroup]').getAttribute('aria-labelledby') !== null")
    _start_at_heading(page, check)
    reached = _tab_through(page, check, index)
    names = [r["name"] for r in reached if r["control"]]
    assert names[-2:] == ["Check", "Show solution"], names
    _start_at_heading(page, check)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "radio"
    page.keyboard.press("ArrowDown")  # moves to the next option and selects it
    assert check.evaluate("r => [...r.querySelectorAll('input[type=radio]')].filter(i => i.checked).length") == 1
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Check"
    page.keyboard.press("Enter")
    check.locator(".lk-feedback-correct, .lk-feedback-incorrect").first.wait_for(timeout=20_000)
    assert check.evaluate("r => r.querySelector('.lk-feedback-box').getAttribute('aria-live')") == "polite"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Show solution"
    page.keyboard.press("Enter")
    check.locator(".lk-solution").first.wait_for(timeout=20_000)
    time.sleep(0.3)
    check.screenshot(path=str(artifacts / "keyboard_04_self_check.png"))

    # Every other self-check of the notebook: its options and both buttons are reached by Tab.
    for k in range(1, page.locator(".lk-self-check").count()):
        other = page.locator(".lk-self-check").nth(k)
        other.scroll_into_view_if_needed()
        index = other.evaluate("r => [...document.querySelectorAll('.lk-lab, .lk-self-check')].indexOf(r)")
        controls = other.evaluate(_CONTROLS)
        _start_at_heading(page, other)
        reached = [r for r in _tab_through(page, other, index) if r["control"]]
        # Radio buttons are one Tab stop (arrows move within the group); everything else is one stop each.
        radios = sum(1 for c in controls if c["type"] == "radio")
        assert len(reached) == len(controls) - max(0, radios - 1), (k, reached, controls)
        assert all(r["name"] for r in reached), (k, reached)
