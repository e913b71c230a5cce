"""axe-core in the page: run it, and tell the kit's violations from JupyterLab's and Voila's own.

axe-core comes from the npm registry, pinned in tests/browser/axe/package.json and package-lock.json;
`make test-browser` installs it with `npm ci` into tests/browser/axe/node_modules (once; offline after that).
Playwright injects the file into the page under test, so nothing is fetched while the tests run.

A violation belongs to the kit when its element sits in what the course puts on the page: a cell's output (the
labs, self-checks, tables and charts) or a rendered Markdown cell, and, in app mode, the whole page (the kit's
Voila template makes it). Everything else (JupyterLab's toolbars, editors, side bars; Voila's own markup; pandas'
own tables printed by a notebook cell outside a lab) is upstream: tests/browser/accessibility_upstream.json lists
each such violation with its upstream reference and how many elements it hits, so that a new one shows.
"""

import json
from collections import Counter
from pathlib import Path

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
UPSTREAM_FILE = Path(__file__).resolve().parent / "accessibility_upstream.json"

# What the course puts on a JupyterLab page: cell outputs and rendered Markdown.
KIT_IN_JUPYTERLAB = ".jp-OutputArea-output, .jp-MarkdownCell .jp-RenderedMarkdown"
# In app mode the kit's template makes the page, so its landmarks and language are the kit's too.
KIT_IN_VOILA = "#rendered_cells, .jp-OutputArea-output"

_RUN_AXE = r"""async ([kitSelector, pageIsKit]) => {
  // Rules: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices (landmarks, heading order, empty headers).
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  const find = (target) => {
    // A target is a CSS selector, or a list of them through shadow roots (the last one is the element).
    let root = document, el = null;
    for (const part of target) {
      const selector = Array.isArray(part) ? part[part.length - 1] : part;
      try { el = root.querySelector(selector); } catch (e) { return null; }
      if (!el) return null;
      root = el.shadowRoot || el;
    }
    return el;
  };
  // A stable name for where an element is, for the list of upstream violations: tag and the framework's classes.
  const signature = (el) => {
    if (!el) return '?';
    const classes = [...el.classList].filter(c => /^(jp|lm|cm|voila|widget|p)-/.test(c)).sort().slice(0, 3);
    let parent = el.parentElement, context = '';
    while (parent && !context) {
      const named = [...parent.classList].filter(c => /^(jp|lm)-/.test(c)).sort()[0];
      if (named) context = named + ' > ';
      parent = parent.parentElement;
    }
    return context + el.tagName.toLowerCase() + classes.map(c => '.' + c).join('');
  };
  const out = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const el = find(node.target);
      const pageLevel = !!el && (el === document.documentElement || el === document.body);
      out.push({
        rule: v.id, impact: node.impact || v.impact, help: v.help,
        target: JSON.stringify(node.target), html: node.html.slice(0, 300),
        summary: (node.failureSummary || '').slice(0, 400),
        // pandas' own tables, printed by a notebook cell outside any lab, are pandas' markup (docs/accessibility.md).
        kit: !!el && (!!el.closest(kitSelector) || (pageIsKit && pageLevel))
             && !(el.closest('table.dataframe') && !el.closest('.lk-lab, .lk-self-check')),
        signature: signature(el),
      });
    }
  }
  return out;
}"""


def inject_axe(page):
    if not AXE_JS.is_file():
        raise AssertionError(f"{AXE_JS} missing: run `make test-browser` (it installs axe-core with npm ci)")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))


def run_axe(page, *, mode):
    """Every violation on the page: dicts with rule, impact, help, target, html, kit (bool), signature."""
    inject_axe(page)
    selector = KIT_IN_VOILA if mode == "voila" else KIT_IN_JUPYTERLAB
    return page.evaluate(_RUN_AXE, [selector, mode == "voila"])


def upstream_counts(violations):
    """How many elements each upstream violation hits: {"rule | signature": count}."""
    return dict(sorted(Counter(f"{v['rule']} | {v['signature']}" for v in violations if not v["kit"]).items()))


def load_upstream():
    return json.loads(UPSTREAM_FILE.read_text(encoding="utf-8")) if UPSTREAM_FILE.is_file() else {}


def describe(violations):
    return "\n".join(f"- {v['rule']} ({v['impact']}): {v['help']}\n    at {v['target']}\n    {v['html'][:200]}\n"
                     f"    {v['summary'][:300]}" for v in violations)
