"""Helpers that drive a notebook in JupyterLab the way a learner does: open, Run All, use a lab."""

import time

_CELL_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model) return null;
  const cells = panel.content.model.cells;
  const out = {code: 0, executed: 0, errors: [], busy: panel.sessionContext.session?.kernel?.status !== 'idle'};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    out.code += 1;
    if (cell.executionCount !== null) out.executed += 1;
    for (const o of cell.outputs.toJSON()) {
      if (o.output_type === 'error') out.errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
    }
  }
  return out;
}"""


def open_notebook(page, server, name):
    page.goto(server.url(f"/lab/tree/{name}?reset"))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext", timeout=90_000)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'",
                           timeout=90_000)


def run_all(page, *, timeout=180):
    """Run All Cells and wait until every code cell has executed and the kernel is idle; return errors."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        state = page.evaluate(_CELL_STATE)
        if state and state["executed"] == state["code"] and not state["busy"]:
            return state["errors"]
        time.sleep(0.5)
    raise AssertionError(f"Run All did not finish in {timeout} s: {state}")


def lab_locator(page, lab_class):
    """The rendered lab widget (``lk-<classname lowercased>``)."""
    locator = page.locator(f".lk-{lab_class.lower()}").first
    locator.wait_for(state="visible", timeout=60_000)
    return locator


def summary_text(lab):
    return lab.locator(".lk-summary").first.inner_text()


def wait_for_change(lab, before, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = summary_text(lab)
        if now and now != before:
            return now
        time.sleep(0.2)
    raise AssertionError(f"the lab's summary did not change from {before!r}")


def set_slider(page, lab, description, fraction):
    """Click a slider (found by its description) at ``fraction`` of its length."""
    slider = lab.locator(".widget-slider", has=page.locator(f"label:text-is('{description}')")).first
    track = slider.locator(".noUi-target, .slider-container").first
    box = track.bounding_box()
    page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)


def _control(lab, kind, description):
    """The widget container of a control (``.widget-slider``, ``.widget-dropdown``...) by its description."""
    return lab.locator(f".{kind}", has=lab.page.locator(f"label:text-is(\"{description}\")")).first


def set_slider_value(lab, description, value):
    """Type a value into a slider's readout and press Enter, as a learner can.

    A lab's float slider shows its value in a text box the kernel fills (``.lk-readout``, in the lab's language:
    "0,25" in Russian) beside the slider; other sliders have ipywidgets' own readout.
    """
    row = lab.locator(".lk-slider-row", has=lab.page.locator(f"label:text-is(\"{description}\")")).first
    if row.count():
        readout = row.locator(".lk-readout input").first
    else:
        readout = _control(lab, "widget-slider", description).locator(".widget-readout").first
    readout.click()
    readout.press("Control+a")
    readout.type(str(value))
    readout.press("Enter")


def select_option(lab, description, label):
    """Choose a dropdown entry by its visible label.

    ipywidgets renders spaces in labels as no-break spaces, and older Playwright
    releases match labels literally, so the entry is found by its normalised text.
    """
    select = _control(lab, "widget-dropdown", description).locator("select").first
    labels = select.evaluate("s => Array.from(s.options).map(o => o.textContent.replace(/\\u00a0/g, ' '))")
    if label not in labels:
        raise AssertionError(f"dropdown {description!r} has no entry {label!r}; it has {labels}")
    select.select_option(index=labels.index(label))


def toggle_checkbox(lab, description):
    lab.locator(".widget-checkbox", has=lab.page.locator(f"text=\"{description}\"")).first.locator("input").click()
