"""Every lab and self-check, rendered in JupyterLab: no label, option, button or description is cut off; sliders line up.

A scratch notebook instantiates every lab class with its defaults and a SelfCheck for every choice and numeric
question of the course. Each rendered widget is photographed into tests/artifacts/layout_<name>.png and measured:

- a label (``.widget-label``, a checkbox's or radio option's label) is clipped when its text is wider than its
  box (``scrollWidth > clientWidth + 1``) or when it runs past the right edge of the cell's output area;
- a dropdown is clipped when its *longest* option (a learner may pick any) is wider than the select's text area;
- a multiple-selection list is clipped when it needs a horizontal scroll bar;
- a button is clipped when its label (and icon) is wider than its content box, or the button overflows;
- within one lab, every labelled control's label ends at the same x, so the rows line up.
"""

import json

import nbformat
import pytest

from tests.browser.lab_driver import open_notebook, run_all

pytestmark = pytest.mark.browser

_MEASURE = r"""(root) => {
  const problems = [];
  // The edge a learner sees: the cell's output area (a widget wider than it is cut off or scrolled).
  const rootBox = (root.closest('.jp-OutputArea-output') || root).getBoundingClientRect();
  const canvas = document.createElement('canvas').getContext('2d');
  const textWidth = (text, el) => {
    const s = getComputedStyle(el);
    canvas.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    return canvas.measureText(text).width;
  };
  const visible = (el) => el.offsetParent !== null && el.getClientRects().length > 0;
  const name = (el) => (el.textContent || '').replace(/\u00a0/g, ' ').trim().slice(0, 80);
  const labels = root.querySelectorAll(
    '.widget-label, .widget-label-basic, .widget-radio-box label, .widget-checkbox label, .widget-inline-hbox > label');
  for (const el of labels) {
    if (!visible(el) || !name(el)) continue;
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push(`label "${name(el)}" is cut off (${el.scrollWidth}px of text in ${el.clientWidth}px)`);
    else if (box.right > rootBox.right + 1)
      problems.push(`label "${name(el)}" runs past the lab's right edge by ${Math.round(box.right - rootBox.right)}px`);
  }
  for (const select of root.querySelectorAll('.widget-dropdown select')) {
    if (!visible(select)) continue;
    const s = getComputedStyle(select);
    const room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    let widest = '', width = 0;
    for (const o of select.options) {
      const w = textWidth(o.textContent, select);
      if (w > width) { width = w; widest = o.textContent; }
    }
    if (width > room + 1)
      problems.push(`dropdown option "${widest.replace(/\u00a0/g, ' ')}" is cut off (${Math.round(width)}px in ${Math.round(room)}px)`);
  }
  for (const select of root.querySelectorAll('.widget-select-multiple select, .widget-select select')) {
    if (visible(select) && select.scrollWidth > select.clientWidth + 1)
      problems.push(`list "${name(select.closest('.widget-inline-hbox') || select)}" needs a horizontal scroll bar`);
  }
  // A button's label shows whole: ipywidgets gives buttons a fixed width and cuts a longer label with an ellipsis
  // ("Показать решение" is 149 px of text in a 148 px button).
  for (const button of root.querySelectorAll('button.jupyter-button, .widget-button')) {
    if (!visible(button) || !name(button)) continue;
    const s = getComputedStyle(button);
    const room = button.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const icon = button.querySelector('i');
    const iconWidth = icon && visible(icon) ? icon.getBoundingClientRect().width + 4 : 0;
    const width = textWidth(name(button), button) + iconWidth;
    if (button.scrollWidth > button.clientWidth + 1 || width > room + 1)
      problems.push(`button "${name(button)}" is cut off (${Math.round(width)}px of label in ${Math.round(room)}px)`);
  }
  // A chart's texts (title, legend, axis labels) stay inside the chart: a longer translation must not be cut off.
  for (const svg of root.querySelectorAll('svg')) {
    if (!visible(svg) || !svg.width || !svg.width.baseVal) continue;
    const w = svg.width.baseVal.value;
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.width && b.x + b.width > w + 1)
        problems.push(`chart text "${name(t)}" runs past its chart (${Math.round(b.x + b.width)}px of ${Math.round(w)}px)`);
    }
  }
  // Rows line up when every labelled control's label ends at the same x, so the inputs after it (slider
  // tracks, dropdowns, lists) start together; a slider's track has its own few pixels of inner margin.
  const starts = [];
  for (const row of root.querySelectorAll('.widget-inline-hbox')) {
    const label = row.querySelector(':scope > .widget-label');
    if (!label || !visible(label) || !name(label) || row.closest('.widget-toggle-buttons')) continue;
    starts.push([name(label), label.getBoundingClientRect().right]);
  }
  if (starts.length > 1) {
    const xs = starts.map(s => s[1]);
    if (Math.max(...xs) - Math.min(...xs) > 2)
      problems.push('control rows do not line up: ' + starts.map(s => `${s[0]} at ${Math.round(s[1])}px`).join(', '));
  }
  return problems;
}"""


def _scratch_notebook(lang="en"):
    from lifecycle_kit.course.selfchecks import for_notebook, notebooks
    from lifecycle_kit.labs import _LABS

    # EarlierStages is a column of SelfChecks, and every self-check (those on earlier stages too) is shown below.
    labs = [name for name in _LABS if name not in ("Lab", "SelfCheck", "EarlierStages")]
    cells = [nbformat.v4.new_code_cell("from lifecycle_kit import labs\nfrom lifecycle_kit.course.selfchecks import for_notebook")]
    for name in labs:
        cells.append(nbformat.v4.new_code_cell(f"labs.{name}(lang={lang!r})"))
    checks = []
    for notebook in notebooks():
        for key, q in for_notebook(notebook).items():
            if q.kind in ("choice", "numeric"):
                checks.append(f"{notebook}:{key}")
                cells.append(nbformat.v4.new_code_cell(
                    f"labs.SelfCheck(for_notebook({notebook!r})[{key!r}], lang={lang!r})"))
    # With a kernelspec, Lab starts the kernel instead of asking which one to use.
    metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                "language_info": {"name": "python"}}
    return nbformat.v4.new_notebook(cells=cells, metadata=metadata), labs, checks


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_control_of_any_lab_or_self_check_is_clipped(page, lab_server, artifacts, lang):
    # Russian labels and titles are longer than English ones: both editions are measured.
    nb, labs, checks = _scratch_notebook(lang)
    scratch = f"lab_layout_scratch_{lang}.ipynb"
    nbformat.write(nb, lab_server.root / scratch)
    open_notebook(page, lab_server, scratch)
    assert run_all(page, timeout=600) == []
    page.wait_for_function(f"() => document.querySelectorAll('.lk-lab').length >= {len(labs)} && "
                           f"document.querySelectorAll('.lk-self-check').length >= {len(checks)}", timeout=120_000)
    problems = {}
    for i, name in enumerate(labs):
        widget = page.locator(f".lk-{name.lower()}").first
        widget.scroll_into_view_if_needed()
        widget.screenshot(path=str(artifacts / f"layout_{lang}_{name}.png"))
        found = widget.evaluate(_MEASURE)
        if found:
            problems[name] = found
    self_checks = page.locator(".lk-self-check")
    for i, label in enumerate(checks):
        widget = self_checks.nth(i)
        widget.scroll_into_view_if_needed()
        found = widget.evaluate(_MEASURE)
        if found:
            widget.screenshot(path=str(artifacts / f"layout_{lang}_selfcheck_{label.replace(':', '_')}.png"))
            problems[f"SelfCheck {label}"] = found
    (artifacts / f"lab_layout_{lang}.json").write_text(json.dumps(problems, indent=2), encoding="utf-8")
    assert not problems, "clipped or misaligned controls:\n" + "\n".join(
        f"- {where}: {p}" for where, found in problems.items() for p in found)
