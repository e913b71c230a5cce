// Accessible names, groups and live regions for the Lifecycle Kit labs and self-checks (an anywidget module; one
// model, shown once in every lab: each view looks after the lab it is in).
//
// ipywidgets 8.1 draws a slider with noUiSlider: its handle (role="slider") and its editable readout have no
// accessible name, because the visible label is not tied to them (axe: aria-input-field-name; upstream:
// jupyter-widgets/ipywidgets#2650, "ARIA labels, and more accessibility features"), and an HTML widget cannot be
// made a live region from Python. This module runs in the page (JupyterLab, Voila, Notebook 7), finds the lab or
// self-check it sits in, and sets the missing attributes on the widgets' own elements:
//   - slider handles and readouts are labelled by the slider's visible label (aria-labelledby);
//   - toggle buttons form a group named by their label, each button says whether it is pressed;
//   - a self-check's options form a (radio) group named by the question, and its answer box is described by it;
//     radio buttons share a name, so the browser treats them as one group (one Tab stop, arrows choose), which
//     ipywidgets' RadioButtons does not give them;
//   - the lab's summary line and a self-check's feedback are polite live regions: a screen reader reads the new
//     result when a control moves or an answer is checked;
//   - the lab's element says its language (lang, from its lk-lang-<code> class), as WCAG 3.1.2 asks of a part in
//     another language than the page;
//   - in JupyterLab, the keys of a focused control go to the control: without data-lm-suppress-shortcuts, the
//     notebook's command-mode shortcuts take ArrowDown from a dropdown (it moves to the next cell instead) and Enter
//     from a button (it opens the cell's editor).
// A MutationObserver applies the same again when the widgets redraw. Nothing is fetched; no network.

let counter = 0;

function ensureId(el) {
  if (!el.id) el.id = `lk-a11y-${Math.random().toString(36).slice(2, 8)}-${counter++}`;
  return el.id;
}

function set(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function visibleLabel(row) {
  const label = row.querySelector(':scope > .widget-label');
  return label && label.textContent.trim() ? label : null;
}

const CONTROLS = 'select, input, textarea, button, summary, [role="slider"], [contenteditable="true"], [tabindex="0"]';

function apply(root) {
  const lang = [...root.classList].find(c => c.startsWith('lk-lang-'));
  if (lang) set(root, 'lang', lang.slice('lk-lang-'.length));
  for (const control of root.querySelectorAll(CONTROLS)) set(control, 'data-lm-suppress-shortcuts', 'true');
  for (const row of root.querySelectorAll('.widget-slider')) {
    const label = visibleLabel(row);
    if (!label) continue;
    const id = ensureId(label);
    for (const handle of row.querySelectorAll('[role="slider"]')) set(handle, 'aria-labelledby', id);
    const readout = row.querySelector('.widget-readout');
    if (readout) {
      set(readout, 'role', 'textbox');
      set(readout, 'aria-labelledby', id);
    }
  }
  for (const group of root.querySelectorAll('.widget-toggle-buttons')) {
    set(group, 'role', 'group');
    const label = visibleLabel(group);
    if (label) set(group, 'aria-labelledby', ensureId(label));
    for (const button of group.querySelectorAll('button')) {
      set(button, 'aria-pressed', button.classList.contains('mod-active') ? 'true' : 'false');
    }
  }
  for (const box of root.querySelectorAll('.widget-radio-box')) {
    const name = ensureId(box);
    for (const radio of box.querySelectorAll('input[type="radio"]')) set(radio, 'name', name);
  }
  const question = root.querySelector('.lk-question .widget-html-content');
  if (question) {
    const id = ensureId(question);
    for (const answer of root.querySelectorAll('.lk-answer')) {
      if (answer.querySelector('input[type="radio"]')) {
        const box = answer.querySelector('.widget-radio-box') || answer;
        set(box, 'role', 'radiogroup');
        set(box, 'aria-labelledby', id);
      } else if (answer.querySelector('input[type="checkbox"]')) {
        set(answer, 'role', 'group');
        set(answer, 'aria-labelledby', id);
      } else {
        for (const input of answer.querySelectorAll('input, textarea')) set(input, 'aria-describedby', id);
      }
    }
  }
  for (const live of root.querySelectorAll('.lk-summary, .lk-feedback-box')) {
    set(live, 'role', 'status');
    set(live, 'aria-live', 'polite');
    set(live, 'aria-atomic', 'true');
  }
}

function render({ model, el }) {
  el.classList.add('lk-a11y');
  let observer = null;
  let tries = 0;
  let timer = null;
  const start = () => {
    // The widget is drawn before its box puts it in the page: wait until it has a lab around it (10 s at most).
    const root = el.closest('.lk-lab, .lk-self-check');
    if (!root) {
      if (tries++ < 200) timer = setTimeout(start, 50);
      return;
    }
    const run = () => apply(root);
    run();
    observer = new MutationObserver(run);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  };
  start();
  return () => {
    clearTimeout(timer);
    if (observer) observer.disconnect();
  };
}

export default { render };
