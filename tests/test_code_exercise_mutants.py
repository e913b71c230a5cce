"""Every code exercise rejects the wrong code learners write — and finds it on generated inputs alone.

Below, for every code exercise of the course, wrong implementations written as a learner would write them: one
(or more) per rule of the exercise's prompt — off by one at a limit, a wrong denominator, a kind of missing value
forgotten, case not normalised, an order assumed, a column assumed present, a rule applied per column instead of
per combination, a later source overwriting an earlier one... Each must be judged "incorrect" with a hint that is
more than the generic one; the comparison on generated inputs must find each of them by itself (with the named
cases removed), within the exercise's fixed number of generated inputs. These are not the exercises' own
``misconceptions`` (which the checker uses to name a mistake); they were written separately, so that the checker
is judged on wrong code it was not built from.
"""

import copy
import functools
import math

import numpy as np
import pandas as pd
import pytest

# --- 01 uncovered_needs ------------------------------------------------------------------------------------------
from lifecycle_kit.conception import TRUST_LEVELS  # noqa: E402
from lifecycle_kit.course.code_exercises import CodeExercise
from lifecycle_kit.course.selfchecks import for_notebook, notebooks


def needs_strict_rank(needs, sources, min_trust):
    covered = set()
    for s in sources:
        if s.get("trust") in TRUST_LEVELS and TRUST_LEVELS.index(s["trust"]) > TRUST_LEVELS.index(min_trust):
            covered |= set(s["provides"])
    return [n for n in needs if n not in covered]


def needs_later_source_overwrites(needs, sources, min_trust):
    best = {}
    for s in sources:
        for n in s["provides"]:
            best[n] = s.get("trust")
    return [n for n in needs
            if best.get(n) not in TRUST_LEVELS or TRUST_LEVELS.index(best[n]) < TRUST_LEVELS.index(min_trust)]


def needs_first_provider_only(needs, sources, min_trust):
    out = []
    for n in needs:
        for s in sources:
            if n in s["provides"]:
                if s.get("trust") not in TRUST_LEVELS or TRUST_LEVELS.index(s["trust"]) < TRUST_LEVELS.index(min_trust):
                    out.append(n)
                break
        else:
            out.append(n)
    return out


def needs_string_comparison(needs, sources, min_trust):
    covered = [n for s in sources if s.get("trust") and str(s["trust"]) >= min_trust for n in s["provides"]]
    return [n for n in needs if n not in covered]


def needs_key_error_on_missing_trust(needs, sources, min_trust):
    ok = TRUST_LEVELS[TRUST_LEVELS.index(min_trust):]
    covered = [n for s in sources if s["trust"] in ok for n in s["provides"]]
    return [n for n in needs if n not in covered]


def needs_nan_crashes(needs, sources, min_trust):
    covered = []
    for s in sources:
        t = s.get("trust")
        if t is None:
            continue
        if TRUST_LEVELS.index(t) >= TRUST_LEVELS.index(min_trust):
            covered += s["provides"]
    return [n for n in needs if n not in covered]


def needs_as_a_set(needs, sources, min_trust):
    ok = set(TRUST_LEVELS[TRUST_LEVELS.index(min_trust):])
    covered = {n for s in sources if s.get("trust") in ok for n in s["provides"]}
    return list(set(needs) - covered)


def needs_max_trust_over_all_sources(needs, sources, min_trust):
    ranks = [TRUST_LEVELS.index(s["trust"]) for s in sources if s.get("trust") in TRUST_LEVELS]
    provided = {n for s in sources for n in s["provides"]}
    if ranks and max(ranks) >= TRUST_LEVELS.index(min_trust):
        return [n for n in needs if n not in provided]
    return list(needs)


def needs_missing_trust_counts_as_lowest(needs, sources, min_trust):
    covered = set()
    for s in sources:
        t = s.get("trust")
        rank = TRUST_LEVELS.index(t) if t in TRUST_LEVELS else 0
        if rank >= TRUST_LEVELS.index(min_trust):
            covered.update(s["provides"])
    return [n for n in needs if n not in covered]


def needs_only_the_minimum_level(needs, sources, min_trust):
    covered = {n for s in sources if s.get("trust") == min_trust or s.get("trust") == "verified"
               for n in s["provides"]}
    return [n for n in needs if n not in covered]


# --- 02 currentness_rule (is_current) ----------------------------------------------------------------------------


def current_refuses_now(timestamps, now, max_age_days):  # ts < now: a reading taken exactly now is refused
    return [(t < now) and (now - t <= pd.Timedelta(days=max_age_days)) for t in timestamps]


def current_strict_limit(timestamps, now, max_age_days):
    start = now - pd.Timedelta(days=max_age_days)
    return ((timestamps > start) & (timestamps <= now)).tolist()


def current_whole_days(timestamps, now, max_age_days):
    days = (now - timestamps).dt.days
    return ((days >= 0) & (days <= max_age_days)).tolist()


def current_int_limit(timestamps, now, max_age_days):
    start = now - pd.Timedelta(days=int(max_age_days))
    return ((timestamps >= start) & (timestamps <= now)).tolist()


def current_future_accepted(timestamps, now, max_age_days):
    return (timestamps >= now - pd.Timedelta(days=max_age_days)).tolist()


def current_nat_by_negation(timestamps, now, max_age_days):
    too_old = timestamps < now - pd.Timedelta(days=max_age_days)
    future = timestamps > now
    return (~(too_old | future)).tolist()


def current_by_position(timestamps, now, max_age_days):
    out = []
    for i in range(len(timestamps)):
        t = timestamps[i]
        out.append(bool(pd.notna(t) and now - pd.Timedelta(days=max_age_days) <= t <= now))
    return out


def current_dates_only(timestamps, now, max_age_days):
    first_day = (now - pd.Timedelta(days=max_age_days)).date()
    return [pd.notna(t) and first_day <= t.date() <= now.date() for t in timestamps]


def current_rounded_days(timestamps, now, max_age_days):
    age_days = ((now - timestamps) / pd.Timedelta(days=1)).round()
    return ((age_days >= 0) & (age_days <= max_age_days)).tolist()


def current_hours_as_integer(timestamps, now, max_age_days):
    hours = (now - timestamps).dt.total_seconds() // 3600
    return ((hours >= 0) & (hours <= max_age_days * 24)).tolist()

# --- 03 storage_plan (invalid_entries) ---------------------------------------------------------------------------


def plan_present_keys_only(plan, methods):
    required = ("where", "keep_days", "destruction")
    return [e.get("what") for e in plan if any(k not in e for k in required) or e["destruction"] not in methods]


def plan_zero_days_is_a_term(plan, methods):
    bad = []
    for e in plan:
        days = e.get("keep_days")
        if not e.get("where") or not str(e["where"]).strip() or days is None or isinstance(days, str) or days < 0 \
                or days != days or e.get("destruction") not in methods:
            bad.append(e.get("what"))
    return bad


def plan_nan_is_a_term(plan, methods):
    bad = []
    for e in plan:
        days = e.get("keep_days")
        if not isinstance(e.get("where"), str) or not e["where"].strip() or days is None or isinstance(days, str) \
                or days is pd.NA or days <= 0 or e.get("destruction") not in methods:
            bad.append(e.get("what"))
    return bad


def plan_spaces_are_a_place(plan, methods):
    bad = []
    for e in plan:
        where, days = e.get("where"), e.get("keep_days")
        term = isinstance(days, (int, float, np.number)) and not isinstance(days, bool) and days > 0
        if not (isinstance(where, str) and where) or not term or e.get("destruction") not in methods:
            bad.append(e.get("what"))
    return bad


def plan_int_terms_only(plan, methods):
    bad = []
    for e in plan:
        where, days = e.get("where"), e.get("keep_days")
        if not (isinstance(where, str) and where.strip()) or type(days) is not int or days <= 0 \
                or e.get("destruction") not in methods:
            bad.append(e.get("what"))
    return bad


def plan_methods_case_insensitive(plan, methods):
    bad = []
    for e in plan:
        where, days, how = e.get("where"), e.get("keep_days"), e.get("destruction")
        term = isinstance(days, (int, float, np.number)) and not isinstance(days, bool) and days > 0
        if not (isinstance(where, str) and where.strip()) or not term \
                or str(how).strip().lower() not in [m.lower() for m in methods]:
            bad.append(e.get("what"))
    return bad


def plan_square_brackets(plan, methods):
    return [e["what"] for e in plan
            if not str(e["where"]).strip() or not e["keep_days"] > 0 or e["destruction"] not in methods]


def plan_unique_names(plan, methods):
    bad = []
    for e in plan:
        where, days = e.get("where"), e.get("keep_days")
        term = isinstance(days, (int, float, np.number)) and not isinstance(days, bool) and days > 0
        if not (isinstance(where, str) and where.strip()) or not term or e.get("destruction") not in methods:
            if e.get("what") not in bad:
                bad.append(e.get("what"))
    return bad


def plan_text_terms_parsed(plan, methods):
    bad = []
    for e in plan:
        try:
            term = float(e.get("keep_days")) > 0
        except (TypeError, ValueError):
            term = False
        if not (isinstance(e.get("where"), str) and e["where"].strip()) or not term \
                or e.get("destruction") not in methods:
            bad.append(e.get("what"))
    return bad


def plan_method_substring(plan, methods):
    bad = []
    for e in plan:
        days = e.get("keep_days")
        term = isinstance(days, (int, float, np.number)) and not isinstance(days, bool) and days > 0
        how = e.get("destruction")
        if not (isinstance(e.get("where"), str) and e["where"].strip()) or not term \
                or not (isinstance(how, str) and any(m in how for m in methods)):
            bad.append(e.get("what"))
    return bad


def plan_skips_nameless_entries(plan, methods):
    bad = []
    for e in plan:
        if "what" not in e:
            continue
        days = e.get("keep_days")
        term = isinstance(days, (int, float, np.number)) and not isinstance(days, bool) and days > 0
        if not (isinstance(e.get("where"), str) and e["where"].strip()) or not term \
                or e.get("destruction") not in methods:
            bad.append(e["what"])
    return bad


def plan_pandas_notna(plan, methods):  # a table of the plan: NaN found, but blank places and texts pass
    frame = pd.DataFrame(plan, columns=["what", "where", "keep_days", "destruction"])
    days = pd.to_numeric(frame["keep_days"], errors="coerce")
    ok = frame["where"].notna() & (days > 0) & frame["destruction"].isin(list(methods))
    return frame.loc[~ok, "what"].tolist()

# --- 04 safe_to_load ----------------------------------------------------------------------------------------------

import hashlib  # noqa: E402

from lifecycle_kit.integrity import verify_signature  # noqa: E402


def _sha(content):
    return hashlib.sha256(content).hexdigest()


def load_without_signature(files, manifest, signature, public_key):
    return set(files) == set(manifest.files) and all(_sha(c) == manifest.files[n]["sha256"] for n, c in files.items())


def load_signature_or_digests(files, manifest, signature, public_key):
    digests_ok = set(files) == set(manifest.files) and all(
        _sha(c) == manifest.files[n]["sha256"] for n, c in files.items())
    return verify_signature(manifest, signature, public_key) or digests_ok


def load_delivered_files_only(files, manifest, signature, public_key):
    if not verify_signature(manifest, signature, public_key):
        return False
    for name, content in files.items():
        if name not in manifest.files or manifest.files[name]["sha256"] != _sha(content):
            return False
    return True


def load_listed_files_only(files, manifest, signature, public_key):
    if not verify_signature(manifest, signature, public_key):
        return False
    return all(_sha(files.get(name, b"")) == entry["sha256"] for name, entry in manifest.files.items()) \
        and len(files) >= len(manifest.files)


def load_missing_is_empty(files, manifest, signature, public_key):
    if not verify_signature(manifest, signature, public_key):
        return False
    names = set(files) | set(manifest.files)
    return all(name in manifest.files and _sha(files.get(name, b"")) == manifest.files[name]["sha256"]
               for name in names)


def load_digest_multiset(files, manifest, signature, public_key):
    got = sorted(_sha(c) for c in files.values())
    recorded = sorted(e["sha256"] for e in manifest.files.values())
    return verify_signature(manifest, signature, public_key) and got == recorded


def load_sizes(files, manifest, signature, public_key):
    return (verify_signature(manifest, signature, public_key) and files.keys() == manifest.files.keys()
            and all(len(files[n]) == e["size"] for n, e in manifest.files.items()))


def load_keyerror_when_missing(files, manifest, signature, public_key):
    if not verify_signature(manifest, signature, public_key):
        return False
    return len(files) == len(manifest.files) and all(
        _sha(files[n]) == e["sha256"] for n, e in manifest.files.items())


def load_empty_delivery_refused(files, manifest, signature, public_key):
    if not files or not verify_signature(manifest, signature, public_key):
        return False
    return set(files) == set(manifest.files) and all(_sha(c) == manifest.files[n]["sha256"] for n, c in files.items())


def load_same_count(files, manifest, signature, public_key):
    if not verify_signature(manifest, signature, public_key):
        return False
    return len(files) == len(manifest.files) and all(
        n not in manifest.files or _sha(c) == manifest.files[n]["sha256"] for n, c in files.items())

# --- 05 disguised_missing (is_missing) -----------------------------------------------------------------------------


def missing_exact_tokens(values, tokens):
    return [v is None or v != v or v in tokens for v in values]


def missing_no_lower(values, tokens):
    return [pd.isna(v) or (isinstance(v, str) and v.strip() in tokens) for v in values]


def missing_no_strip(values, tokens):
    lowered = [t.lower() for t in tokens]
    return [pd.isna(v) or (isinstance(v, str) and v.lower() in lowered) for v in values]


def missing_only_float_nan(values, tokens):
    norm = [t.strip().lower() for t in tokens]
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(v.strip().lower() in norm)
        else:
            out.append(v is None or (isinstance(v, float) and math.isnan(v)))
    return out


def missing_self_inequality(values, tokens):
    norm = [t.strip().lower() for t in tokens]
    return [bool(v is None or v != v) or (isinstance(v, str) and v.strip().lower() in norm) for v in values]


def missing_str_accessor(values, tokens):
    norm = [t.strip().lower() for t in tokens]
    return (values.isna() | values.str.strip().str.lower().isin(norm)).tolist()


def missing_astype_str(values, tokens):
    norm = [t.strip().lower() for t in tokens]
    return (values.isna() | values.astype(str).str.strip().str.lower().isin(norm)).tolist()


def missing_tokens_raw(values, tokens):
    return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in tokens) for v in values]


def missing_by_position(values, tokens):
    norm = {t.strip().lower() for t in tokens}
    out = []
    for i in range(len(values)):
        v = values[i]
        out.append(bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in norm))
    return out


def missing_strip_spaces_only(values, tokens):
    norm = {t.strip(" ").lower() for t in tokens}
    return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip(" ").lower() in norm) for v in values]


def missing_identity_nan(values, tokens):
    norm = {t.strip().lower() for t in tokens}
    return [v in (None, np.nan, pd.NA, pd.NaT) or (isinstance(v, str) and v.strip().lower() in norm) for v in values]


def missing_replace_then_isna(values, tokens):
    cleaned = values.replace(list(tokens), np.nan)
    return cleaned.isna().tolist()

# --- 06 gate_condition ---------------------------------------------------------------------------------------------


def gate_label_counted_as_feature(df, target):
    if df.empty:
        return False
    if df.notna().mean().mean() < 0.95:
        return False
    feats = [c for c in df.columns if c != target]
    return not df[df.duplicated(subset=feats, keep=False)].groupby(feats, dropna=False)[target].nunique().gt(1).any()


def gate_whole_frame_as_features(df, target):
    if len(df) == 0 or df.notna().to_numpy().mean() < 0.95:
        return False
    return not df.duplicated(keep=False).any() or df.groupby(list(df.columns), dropna=False).size().max() >= 1


def gate_strictly_above(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if X.notna().sum().sum() / X.size <= 0.95:
        return False
    return bool(df.groupby(list(X.columns), dropna=False)[target].nunique().max() <= 1)


def gate_worst_column(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if (X.notna().mean() < 0.95).any():
        return False
    return bool(df.groupby(list(X.columns), dropna=False)[target].nunique().max() <= 1)


def gate_rows_as_denominator(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if X.isna().sum().sum() / len(df) > 0.05:
        return False
    return bool(df.groupby(list(X.columns), dropna=False)[target].nunique().max() <= 1)


def gate_complete_row_share(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if len(X.dropna()) / len(X) < 0.95:
        return False
    return bool(df.groupby(list(X.columns), dropna=False)[target].nunique().max() <= 1)


def gate_groupby_default_dropna(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if X.notna().to_numpy().mean() < 0.95:
        return False
    return bool((df.groupby(list(X.columns))[target].nunique() <= 1).all())


def gate_any_duplicate_blocks(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    return bool(X.notna().to_numpy().mean() >= 0.95 and not X.duplicated().any())


def gate_dedupe_then_duplicated(df, target):  # a missing label is one more distinct row
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if X.notna().to_numpy().mean() < 0.95:
        return False
    return not df.drop_duplicates().duplicated(subset=list(X.columns)).any()


def gate_each_column_alone(df, target):
    if len(df) == 0:
        return False
    X = df.drop(columns=target)
    if X.notna().to_numpy().mean() < 0.95:
        return False
    return all(df.groupby(c, dropna=False)[target].nunique().max() <= 1 for c in X.columns)


def gate_target_is_last(df, target):
    if len(df) == 0:
        return False
    X, y = df.iloc[:, :-1], df.iloc[:, -1]
    if X.notna().to_numpy().mean() < 0.95:
        return False
    return bool(y.groupby([X[c] for c in X.columns], dropna=False).nunique().max() <= 1)


def gate_empty_is_fine(df, target):
    X = df.drop(columns=target)
    if X.size and X.notna().to_numpy().mean() < 0.95:
        return False
    return bool((df.groupby(list(X.columns), dropna=False)[target].nunique() <= 1).all())

# --- 07 unit_contract (unit_change_columns) ------------------------------------------------------------------------


def unit_range_check(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and batch[c].notna().any():
            if batch[c].max() > reference[c].max() or batch[c].min() < reference[c].min():
                out.add(c)
    return out


def unit_numpy_mean(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]):
            r = np.mean(reference[c].to_numpy(dtype=float, na_value=np.nan))
            b = np.mean(batch[c].to_numpy(dtype=float, na_value=np.nan))
            if r > 0 and (b / r > 2 or b / r < 0.5):
                out.add(c)
    return out


def unit_inclusive_limits(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and batch[c].count():
            r, b = reference[c].mean(), batch[c].mean()
            if r > 0 and not 0.5 < b / r < 2:
                out.add(c)
    return out


def unit_keyerror_on_dropped_column(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        b, r = batch[c].mean(), reference[c].mean()
        if pd.notna(b) and r > 0 and (b > 2 * r or b < r / 2):
            out.add(c)
    return out


def unit_batch_columns(batch, reference):
    out = set()
    for c in batch.select_dtypes("number"):
        b, r = batch[c].mean(), reference[c].mean()
        if pd.notna(b) and r > 0 and (b > 2 * r or b < r / 2):
            out.add(c)
    return out


def unit_no_sign_check(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and batch[c].notna().any():
            ratio = batch[c].mean() / reference[c].mean()
            if ratio > 2 or ratio < 0.5:
                out.add(c)
    return out


def unit_medians(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and batch[c].notna().any() \
                and reference[c].mean() > 0:
            ratio = batch[c].median() / reference[c].median()
            if ratio > 2 or ratio < 0.5:
                out.add(c)
    return out


def unit_fillna_zero(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and len(batch):
            b, r = batch[c].fillna(0).mean(), reference[c].mean()
            if r > 0 and (b / r > 2 or b / r < 0.5):
                out.add(c)
    return out


def unit_only_growth(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and batch[c].notna().any():
            if reference[c].mean() > 0 and batch[c].mean() / reference[c].mean() > 2:
                out.add(c)
    return out


def unit_text_column_crashes(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and batch[c].notna().any():
            r = reference[c].mean()
            if r > 0 and (batch[c].mean() / r > 2 or batch[c].mean() / r < 0.5):
                out.add(c)
    return out


def unit_vectorised(batch, reference):
    ratio = batch.mean(numeric_only=True) / reference.mean(numeric_only=True)
    return set(ratio[(ratio > 2) | (ratio < 0.5)].index)


def unit_sums(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and batch[c].notna().any() \
                and reference[c].mean() > 0:
            ratio = batch[c].sum() / reference[c].sum()
            if ratio > 2 or ratio < 0.5:
                out.add(c)
    return out


def unit_max_values(batch, reference):
    out = set()
    for c in reference.select_dtypes("number"):
        if c in batch and pd.api.types.is_numeric_dtype(batch[c]) and batch[c].notna().any() \
                and reference[c].mean() > 0:
            ratio = batch[c].max() / reference[c].max()
            if ratio > 2 or ratio < 0.5:
                out.add(c)
    return out

# --- 08 retraining_policy (retrain_window) -------------------------------------------------------------------------


def window_last_row(history, floor):
    if len(history) == 0:
        return 0
    last = history["score"].iloc[-1]
    if pd.isna(last) or last >= floor:
        return 0
    run = 0
    for s in history["score"].dropna()[::-1]:
        if s >= floor:
            break
        run += 1
    return min(max(run, 2), len(history))


def window_four(history, floor):
    known = history["score"].dropna()
    if len(known) == 0 or known.iloc[-1] >= floor:
        return 0
    return min(4, len(history))


def window_strict_floor(history, floor):
    known = history["score"].dropna().tolist()
    if not known or known[-1] > floor:
        return 0
    run = 0
    while run < len(known) and known[-1 - run] <= floor:
        run += 1
    return min(max(run, 2), len(history))


def window_count_all_below(history, floor):
    known = history["score"].dropna()
    if known.empty or known.iloc[-1] >= floor:
        return 0
    return min(max(int((known < floor).sum()), 2), len(history))


def window_no_minimum(history, floor):
    known = history["score"].dropna().tolist()
    if not known or known[-1] >= floor:
        return 0
    run = 0
    while run < len(known) and known[-1 - run] < floor:
        run += 1
    return min(run, len(history))


def window_no_cap(history, floor):
    known = history["score"].dropna().tolist()
    if not known or known[-1] >= floor:
        return 0
    run = 0
    while run < len(known) and known[-1 - run] < floor:
        run += 1
    return max(run, 2)


def window_cap_at_known(history, floor):
    known = history["score"].dropna().tolist()
    if not known or known[-1] >= floor:
        return 0
    run = 0
    while run < len(known) and known[-1 - run] < floor:
        run += 1
    return min(max(run, 2), len(known))


def window_nan_counts_as_below(history, floor):
    known = history["score"].dropna()
    if known.empty or known.iloc[-1] >= floor:
        return 0
    run = 0
    for s in history["score"].fillna(-1).tolist()[::-1]:
        if s >= floor:
            break
        run += 1
    return min(max(run, 2), len(history))


def window_nan_ends_run(history, floor):
    scores = history["score"].tolist()
    while scores and pd.isna(scores[-1]):
        scores.pop()
    if not scores or scores[-1] >= floor:
        return 0
    run = 0
    for s in reversed(scores):
        if pd.isna(s) or s >= floor:
            break
        run += 1
    return min(max(run, 2), len(history))


def window_label_indexing(history, floor):
    known = history["score"].dropna()
    if len(known) == 0 or known[known.index[-1]] >= floor:
        return 0
    run, i = 0, len(history) - 1
    while i >= 0:
        s = history["score"][i]
        if pd.notna(s):
            if s >= floor:
                break
            run += 1
        i -= 1
    return min(max(run, 2), len(history))


def window_empty_crashes(history, floor):
    known = history["score"].dropna()
    if known.iloc[-1] >= floor:
        return 0
    run = 0
    for s in known[::-1]:
        if s >= floor:
            break
        run += 1
    return min(max(run, 2), len(history))


def window_isnan(history, floor):
    scores = [s for s in history["score"].tolist() if not math.isnan(s)]
    if not scores or scores[-1] >= floor:
        return 0
    run = 0
    for s in reversed(scores):
        if s >= floor:
            break
        run += 1
    return min(max(run, 2), len(history))


def window_periods_since_first_fall(history, floor):
    known = history["score"].dropna()
    if known.empty or known.iloc[-1] >= floor:
        return 0
    ok = known[known >= floor]
    start = history.index.get_loc(ok.index[-1]) + 1 if len(ok) else 0
    return min(max(len(history) - start, 2), len(history))

# --- 09 merkle_root ------------------------------------------------------------------------------------------------


def _h(data):
    return hashlib.sha256(data).digest()


def merkle_bitcoin_style(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(x) for x in leaves]
    while len(level) > 1:
        if len(level) % 2 == 1:
            level.append(level[-1])
        level = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0].hex()


def merkle_no_prefix(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(x) for x in leaves]
    while len(level) > 1:
        nxt = [_h(level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def merkle_hex_strings(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = list(leaves)
    while len(level) > 1:
        nxt = [hashlib.sha256(b"\x01" + (level[i] + level[i + 1]).encode()).hexdigest()
               for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def merkle_empty_crashes(leaves):
    level = [bytes.fromhex(x) for x in leaves]
    while len(level) > 1:
        nxt = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def merkle_always_hashes_once(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(x) for x in leaves]
    while True:
        nxt = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(_h(b"\x01" + level[-1]))
        level = nxt
        if len(level) == 1:
            return level[0].hex()


def merkle_split_in_half(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    if len(leaves) == 1:
        return leaves[0]
    mid = (len(leaves) + 1) // 2
    left, right = merkle_split_in_half(leaves[:mid]), merkle_split_in_half(leaves[mid:])
    return _h(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hex()


def merkle_sorted(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = sorted(bytes.fromhex(x) for x in leaves)
    while len(level) > 1:
        nxt = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def merkle_upper_case(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest().upper()
    level = [bytes.fromhex(x) for x in leaves]
    while len(level) > 1:
        nxt = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex().upper()


def merkle_leaf_prefix_again(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [_h(b"\x00" + bytes.fromhex(x)) for x in leaves]
    while len(level) > 1:
        nxt = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def merkle_first_promoted(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(x) for x in leaves]
    while len(level) > 1:
        nxt = [level[0]] if len(level) % 2 else []
        rest = level[1:] if len(level) % 2 else level
        nxt += [_h(b"\x01" + rest[i] + rest[i + 1]) for i in range(0, len(rest), 2)]
        level = nxt
    return level[0].hex()


def merkle_recursion_promotes_only_at_the_bottom(leaves):
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(x) for x in leaves]
    first = True
    while len(level) > 1:
        if len(level) % 2 and not first:
            level.append(level[-1])
        nxt = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level, first = nxt, False
    return level[0].hex()


# --- 09 changed_rows -----------------------------------------------------------------------------------------------


def changed_zip(signed_leaves, current_leaves):
    return [i for i, (a, b) in enumerate(zip(signed_leaves, current_leaves)) if a != b]


def changed_first_difference(signed_leaves, current_leaves):
    for i in range(max(len(signed_leaves), len(current_leaves))):
        a = signed_leaves[i] if i < len(signed_leaves) else None
        b = current_leaves[i] if i < len(current_leaves) else None
        if a != b:
            return [i]
    return []


def changed_not_in_signed(signed_leaves, current_leaves):
    return [i for i, leaf in enumerate(current_leaves) if leaf not in signed_leaves]


def changed_deleted_only(signed_leaves, current_leaves):
    out = [i for i, (a, b) in enumerate(zip(signed_leaves, current_leaves)) if a != b]
    return out + list(range(len(current_leaves), len(signed_leaves)))


def changed_tail_off_by_one(signed_leaves, current_leaves):
    n = min(len(signed_leaves), len(current_leaves))
    out = [i for i in range(n) if signed_leaves[i] != current_leaves[i]]
    return out + list(range(n + 1, max(len(signed_leaves), len(current_leaves)) + 1))


def changed_symmetric_difference(signed_leaves, current_leaves):
    return sorted(i for i, _ in set(enumerate(signed_leaves)) ^ set(enumerate(current_leaves)))


def changed_difflib(signed_leaves, current_leaves):
    import difflib

    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, signed_leaves, current_leaves).get_opcodes():
        if tag != "equal":
            out += list(range(j1, max(j2, j1 + (i2 - i1))))
    return sorted(set(out))


def changed_tail_first(signed_leaves, current_leaves):
    n = min(len(signed_leaves), len(current_leaves))
    tail = list(range(n, max(len(signed_leaves), len(current_leaves))))
    return tail + [i for i in range(n) if signed_leaves[i] != current_leaves[i]]


def changed_index_error(signed_leaves, current_leaves):
    out = [i for i in range(len(signed_leaves)) if signed_leaves[i] != current_leaves[i]]
    return out + list(range(len(signed_leaves), len(current_leaves)))


def changed_first_index(signed_leaves, current_leaves):
    out = []
    for i, leaf in enumerate(current_leaves):
        if leaf not in signed_leaves or signed_leaves.index(leaf) != i:
            out.append(i)
    return out + list(range(len(current_leaves), len(signed_leaves)))


def changed_counts(signed_leaves, current_leaves):
    from collections import Counter

    extra = Counter(current_leaves) - Counter(signed_leaves)
    return sorted({i for i, leaf in enumerate(current_leaves) if extra[leaf]}
                  | set(range(len(current_leaves), len(signed_leaves))))

# --- 10 k_anonymity ------------------------------------------------------------------------------------------------


def k_default_dropna(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return int(df.groupby(quasi_identifiers).size().min())


def k_number_of_groups(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return df.groupby(quasi_identifiers, dropna=False).ngroups


def k_count_instead_of_size(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return int(df.groupby(quasi_identifiers, dropna=False).count().min().min())


def k_min_over_single_columns(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return min(int(df[q].value_counts(dropna=False).min()) for q in quasi_identifiers)


def k_value_counts(df, quasi_identifiers):
    if not quasi_identifiers:
        return len(df)
    return int(df[quasi_identifiers].value_counts().min())


def k_as_strings(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    keys = df[quasi_identifiers].astype(str).agg("|".join, axis=1)
    return int(keys.value_counts().min())


def k_no_quasi_identifier_crashes(df, quasi_identifiers):
    if df.empty:
        return 0
    return int(df.groupby(quasi_identifiers, dropna=False).size().min())


def k_empty_crashes(df, quasi_identifiers):
    if not quasi_identifiers:
        return len(df)
    return int(df.groupby(quasi_identifiers, dropna=False).size().min())


def k_largest_group(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return int(df.groupby(quasi_identifiers, dropna=False).size().max())


def k_average(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return round(df.groupby(quasi_identifiers, dropna=False).size().mean())


def k_distinct_diagnoses(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return int(df["diagnosis"].nunique())
    return int(df.groupby(quasi_identifiers, dropna=False)["diagnosis"].nunique().min())


def k_observed_false(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return int(df.groupby(quasi_identifiers, dropna=False, observed=False).size().min())


def k_fillna_empty_text(df, quasi_identifiers):  # missing values filled with "": fine for texts, not for numbers
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    filled = df[quasi_identifiers].astype(object).where(df[quasi_identifiers].notna(), "")
    return int(filled.groupby(quasi_identifiers).size().min())


def k_duplicated_flag(df, quasi_identifiers):
    if df.empty:
        return 0
    if not quasi_identifiers:
        return len(df)
    return 1 if (~df.duplicated(subset=quasi_identifiers, keep=False)).any() else 2

# --- 11 same_bird --------------------------------------------------------------------------------------------------

from lifecycle_kit.platform import jaro_winkler  # noqa: E402

_MEASURES = ("bill_length_mm", "flipper_length_mm", "body_mass_g")


def _bird_rule(a, b, *, norm=lambda v: str(v).strip().upper(), close=None, need=2, jw_ok=lambda s: s >= 0.9,
               missing=pd.isna, check_study=True, allow_blank=False, need_equal=0):
    close = close or (lambda x, y: abs(x - y) <= 0.05 * max(abs(x), abs(y)))
    if check_study and (missing(a["study"]) or missing(b["study"]) or a["study"] != b["study"]):
        return False
    if missing(a["individual_id"]) or missing(b["individual_id"]):
        return False
    ia, ib = norm(a["individual_id"]), norm(b["individual_id"])
    if not allow_blank and (not ia.strip() or not ib.strip()):
        return False
    pairs = [(a[m], b[m]) for m in _MEASURES if not missing(a[m]) and not missing(b[m])]
    ok = all(close(x, y) for x, y in pairs)
    if ia == ib:
        return ok and len(pairs) >= need_equal
    return jw_ok(jaro_winkler(ia, ib)) and len(pairs) >= need and ok


def bird_exact_join(a, b):
    return a["study"] == b["study"] and a["individual_id"] == b["individual_id"]


def bird_five_percent_of_smaller(a, b):
    return _bird_rule(a, b, close=lambda x, y: abs(x - y) <= 0.05 * min(x, y))


def bird_five_percent_of_mean(a, b):
    return _bird_rule(a, b, close=lambda x, y: abs(x - y) <= 0.05 * (x + y) / 2)


def bird_strict_tolerance(a, b):
    return _bird_rule(a, b, close=lambda x, y: abs(x - y) < 0.05 * max(x, y))


def bird_missing_compared(a, b):
    for m in _MEASURES:
        if a[m] is None or b[m] is None:
            return False
    return _bird_rule(a, b, missing=lambda v: v is None or v != v)


def bird_self_inequality_missing(a, b):
    return _bird_rule(a, b, missing=lambda v: v is None or v != v)


def bird_no_study(a, b):
    return _bird_rule(a, b, check_study=False)


def bird_none_studies_equal(a, b):
    if a["study"] != b["study"]:
        return False
    return _bird_rule({**a, "study": "S"}, {**b, "study": "S"})


def bird_study_case_insensitive(a, b):
    if pd.isna(a["study"]) or pd.isna(b["study"]) or str(a["study"]).lower() != str(b["study"]).lower():
        return False
    return _bird_rule({**a, "study": "S"}, {**b, "study": "S"})


def bird_one_measure_enough(a, b):
    return _bird_rule(a, b, need=1)


def bird_zero_measures_enough(a, b):
    return _bird_rule(a, b, need=0)


def bird_no_upper(a, b):
    return _bird_rule(a, b, norm=lambda v: str(v).strip())


def bird_strip_spaces_only(a, b):
    return _bird_rule(a, b, norm=lambda v: str(v).strip(" ").upper())


def bird_similarity_above(a, b):
    return _bird_rule(a, b, jw_ok=lambda s: s > 0.9)


def bird_str_none(a, b):
    if pd.isna(a["study"]) or a["study"] != b["study"]:
        return False
    ia, ib = str(a["individual_id"]).strip().upper(), str(b["individual_id"]).strip().upper()
    pairs = [(a[m], b[m]) for m in _MEASURES if not pd.isna(a[m]) and not pd.isna(b[m])]
    ok = all(abs(x - y) <= 0.05 * max(x, y) for x, y in pairs)
    if ia == ib:
        return ok
    return jaro_winkler(ia, ib) >= 0.9 and len(pairs) >= 2 and ok


def bird_blank_ids(a, b):
    return _bird_rule(a, b, allow_blank=True)


def bird_equal_ids_need_two(a, b):
    return _bird_rule(a, b, need_equal=2)


def bird_average_difference(a, b):
    if pd.isna(a["study"]) or pd.isna(b["study"]) or a["study"] != b["study"]:
        return False
    if pd.isna(a["individual_id"]) or pd.isna(b["individual_id"]):
        return False
    ia, ib = str(a["individual_id"]).strip().upper(), str(b["individual_id"]).strip().upper()
    if not ia or not ib:
        return False
    rel = [abs(a[m] - b[m]) / max(a[m], b[m]) for m in _MEASURES if not pd.isna(a[m]) and not pd.isna(b[m])]
    ok = not rel or sum(rel) / len(rel) <= 0.05
    if ia == ib:
        return ok
    return jaro_winkler(ia, ib) >= 0.9 and len(rel) >= 2 and ok


def bird_similarity_only(a, b):
    if pd.isna(a["study"]) or a["study"] != b["study"] or pd.isna(a["individual_id"]) or pd.isna(b["individual_id"]):
        return False
    return jaro_winkler(str(a["individual_id"]).strip().upper(), str(b["individual_id"]).strip().upper()) >= 0.9

# --- 11 suspect_source ---------------------------------------------------------------------------------------------


def _suspect(records, *, others_of, conflict, labelled=None, denominator="checked", ties="none"):
    labelled = records.dropna(subset=["species"]) if labelled is None else labelled
    checked, conflicts = {}, {}
    for _, bird in labelled.groupby("entity"):
        bird = bird.reset_index(drop=True)
        for i in range(len(bird)):
            source, label = bird["source"][i], bird["species"][i]
            others = others_of(bird, i)
            if len(others) == 0 and denominator == "checked":
                continue
            checked[source] = checked.get(source, 0) + 1
            if len(others) and conflict(others, label):
                conflicts[source] = conflicts.get(source, 0) + 1
    if not checked:
        return None
    rates = {s: conflicts.get(s, 0) / n for s, n in checked.items()}
    best = max(rates.values())
    top = sorted(s for s, r in rates.items() if r == best)
    if ties == "first":
        return top[0]
    return top[0] if len(top) == 1 else None


def _other_sources(bird, i):
    return bird.loc[bird["source"] != bird["source"][i], "species"]


def _strict_majority(others, label):
    return (others != label).sum() * 2 > len(others)


def suspect_all_other_records(records):
    return _suspect(records, others_of=lambda bird, i: bird["species"].drop(index=i), conflict=_strict_majority)


def suspect_against_mode(records):
    return _suspect(records, others_of=_other_sources, conflict=lambda others, label: others.mode()[0] != label)


def suspect_counts_not_shares(records):
    conflicts = {}
    for _, bird in records.dropna(subset=["species"]).groupby("entity"):
        for _, row in bird.iterrows():
            others = bird.loc[bird["source"] != row["source"], "species"]
            if len(others) and _strict_majority(others, row["species"]):
                conflicts[row["source"]] = conflicts.get(row["source"], 0) + 1
    if not conflicts:
        return None
    best = max(conflicts.values())
    top = [s for s, c in conflicts.items() if c == best]
    return top[0] if len(top) == 1 else None


def suspect_missing_labels_kept(records):
    return _suspect(records, others_of=_other_sources, labelled=records,
                    conflict=lambda others, label: (others.astype(object) != label).sum() * 2 > len(others))


def suspect_every_record_counts(records):
    return _suspect(records, others_of=_other_sources, conflict=_strict_majority, denominator="all")


def suspect_alphabetical_tie(records):
    return _suspect(records, others_of=_other_sources, conflict=_strict_majority, ties="first")


def suspect_one_dissent_is_enough(records):
    return _suspect(records, others_of=_other_sources, conflict=lambda others, label: (others != label).any())


def suspect_half_is_a_conflict(records):
    return _suspect(records, others_of=_other_sources,
                    conflict=lambda others, label: (others != label).sum() * 2 >= len(others))


def suspect_all_must_disagree(records):
    return _suspect(records, others_of=_other_sources, conflict=lambda others, label: (others != label).all())


def suspect_assumes_sorted(records):
    import itertools

    labelled = records.dropna(subset=["species"])
    checked, conflicts = {}, {}
    rows = list(zip(labelled["entity"], labelled["source"], labelled["species"]))
    for _, group in itertools.groupby(rows, key=lambda r: r[0]):
        group = list(group)
        for _, source, label in group:
            others = [lab for _, s, lab in group if s != source]
            if others:
                checked[source] = checked.get(source, 0) + 1
                if 2 * sum(lab != label for lab in others) > len(others):
                    conflicts[source] = conflicts.get(source, 0) + 1
    if not checked:
        return None
    rates = {s: conflicts.get(s, 0) / n for s, n in checked.items()}
    top = [s for s, r in rates.items() if r == max(rates.values())]
    return top[0] if len(top) == 1 else None


def suspect_dropna_everywhere(records):
    return _suspect(records.dropna(), others_of=_other_sources, conflict=_strict_majority)


def suspect_per_bird_not_per_record(records):
    labelled = records.dropna(subset=["species"]).drop_duplicates(subset=["entity", "source"])
    return _suspect(records, others_of=_other_sources, conflict=_strict_majority, labelled=labelled)


def suspect_pairwise_disagreements(records):
    pairs, disagreements = {}, {}
    for _, bird in records.dropna(subset=["species"]).groupby("entity"):
        rows = list(zip(bird["source"], bird["species"]))
        for i, (s1, l1) in enumerate(rows):
            for s2, l2 in rows[i + 1:]:
                if s1 == s2:
                    continue
                for s in (s1, s2):
                    pairs[s] = pairs.get(s, 0) + 1
                    disagreements[s] = disagreements.get(s, 0) + int(l1 != l2)
    if not pairs:
        return None
    rates = {s: disagreements[s] / pairs[s] for s in pairs}
    top = [s for s, r in rates.items() if r == max(rates.values())]
    return top[0] if len(top) == 1 else None


def suspect_checked_without_labels(records):  # "checked" when the bird has other sources' records, labelled or not
    checked, conflicts = {}, {}
    for _, bird in records.groupby("entity"):
        bird = bird.reset_index(drop=True)
        for i in range(len(bird)):
            source, label = bird["source"][i], bird["species"][i]
            if pd.isna(label):
                continue
            others = bird.loc[bird["source"] != source, "species"]
            if len(others) == 0:
                continue
            checked[source] = checked.get(source, 0) + 1
            labelled = others.dropna()
            if len(labelled) and _strict_majority(labelled, label):
                conflicts[source] = conflicts.get(source, 0) + 1
    if not checked:
        return None
    rates = {s: conflicts.get(s, 0) / n for s, n in checked.items()}
    top = [s for s, r in rates.items() if r == max(rates.values())]
    return top[0] if len(top) == 1 else None


# --- 12 normalized_gain --------------------------------------------------------------------------------------------

def gain_equals_one_only_pre_checked(pre, post):  # checks the pre-test for None, forgets the post-test
    if pre is None or pre == 1:
        return None
    return (post - pre) / (1 - pre)


def gain_truthiness(pre, post):  # `if not pre` also catches a pre-test of 0
    if not pre or post is None or pre == 1:
        return None
    return (post - pre) / (1 - pre)


def gain_abs_change(pre, post):  # a loss read as a gain
    if pre is None or post is None or pre >= 1:
        return None
    return abs(post - pre) / (1 - pre)


def gain_percent_rounded(pre, post):  # a percentage, as a report would print it
    if pre is None or post is None or pre >= 1:
        return None
    return round(100 * (post - pre) / (1 - pre))


def gain_of_remaining_after(pre, post):  # the denominator from the post-test
    if pre is None or post is None or pre >= 1:
        return None
    if post >= 1:
        return 1.0
    return (post - pre) / (1 - post)


def gain_ceiling_as_full(pre, post):  # a perfect pre-test taken as everything gained
    if pre is None or post is None:
        return None
    if pre >= 1:
        return 1.0
    return (post - pre) / (1 - pre)


def gain_relative_to_start(pre, post):
    if pre is None or post is None or pre >= 1:
        return None
    return (post - pre) / pre if pre else None


def gain_difference_only(pre, post):
    if pre is None or post is None or pre >= 1:
        return None
    return post - pre


# --- the table of mutants ---------------------------------------------------------------------------------------

MUTANTS = {
    "uncovered_needs": [needs_strict_rank, needs_later_source_overwrites, needs_first_provider_only,
                        needs_string_comparison, needs_key_error_on_missing_trust, needs_nan_crashes, needs_as_a_set,
                        needs_max_trust_over_all_sources, needs_missing_trust_counts_as_lowest,
                        needs_only_the_minimum_level],
    "currentness_rule": [current_refuses_now, current_strict_limit, current_whole_days, current_int_limit,
                         current_future_accepted, current_nat_by_negation, current_by_position, current_dates_only,
                         current_rounded_days, current_hours_as_integer],
    "storage_plan": [plan_present_keys_only, plan_zero_days_is_a_term, plan_nan_is_a_term, plan_spaces_are_a_place,
                     plan_int_terms_only, plan_methods_case_insensitive, plan_square_brackets, plan_unique_names,
                     plan_text_terms_parsed, plan_method_substring, plan_skips_nameless_entries, plan_pandas_notna],
    "safe_to_load": [load_without_signature, load_signature_or_digests, load_delivered_files_only,
                     load_listed_files_only, load_missing_is_empty, load_digest_multiset, load_sizes,
                     load_keyerror_when_missing, load_empty_delivery_refused, load_same_count],
    "disguised_missing": [missing_exact_tokens, missing_no_lower, missing_no_strip, missing_only_float_nan,
                          missing_self_inequality, missing_str_accessor, missing_astype_str, missing_tokens_raw,
                          missing_by_position, missing_strip_spaces_only, missing_identity_nan,
                          missing_replace_then_isna],
    "gate_condition": [gate_label_counted_as_feature, gate_whole_frame_as_features, gate_strictly_above,
                       gate_worst_column, gate_rows_as_denominator, gate_complete_row_share,
                       gate_groupby_default_dropna, gate_any_duplicate_blocks, gate_dedupe_then_duplicated,
                       gate_each_column_alone, gate_target_is_last, gate_empty_is_fine],
    "unit_contract": [unit_range_check, unit_numpy_mean, unit_inclusive_limits, unit_keyerror_on_dropped_column,
                      unit_batch_columns, unit_no_sign_check, unit_medians, unit_fillna_zero, unit_only_growth,
                      unit_text_column_crashes, unit_vectorised, unit_sums, unit_max_values],
    "retraining_policy": [window_last_row, window_four, window_strict_floor, window_count_all_below,
                          window_no_minimum, window_no_cap, window_cap_at_known, window_nan_counts_as_below,
                          window_nan_ends_run, window_label_indexing, window_empty_crashes, window_isnan,
                          window_periods_since_first_fall],
    "merkle_root": [merkle_bitcoin_style, merkle_no_prefix, merkle_hex_strings, merkle_empty_crashes,
                    merkle_always_hashes_once, merkle_split_in_half, merkle_sorted, merkle_upper_case,
                    merkle_leaf_prefix_again, merkle_first_promoted, merkle_recursion_promotes_only_at_the_bottom],
    "changed_rows": [changed_zip, changed_first_difference, changed_not_in_signed, changed_deleted_only,
                     changed_tail_off_by_one, changed_symmetric_difference, changed_difflib, changed_tail_first,
                     changed_index_error, changed_first_index, changed_counts],
    "k_anonymity": [k_default_dropna, k_number_of_groups, k_count_instead_of_size, k_min_over_single_columns,
                    k_value_counts, k_as_strings, k_no_quasi_identifier_crashes, k_empty_crashes, k_largest_group,
                    k_average, k_distinct_diagnoses, k_observed_false, k_duplicated_flag],
    "same_bird": [bird_exact_join, bird_five_percent_of_smaller, bird_five_percent_of_mean, bird_strict_tolerance,
                  bird_missing_compared, bird_self_inequality_missing, bird_no_study, bird_none_studies_equal,
                  bird_study_case_insensitive, bird_one_measure_enough, bird_zero_measures_enough, bird_no_upper,
                  bird_strip_spaces_only, bird_similarity_above, bird_str_none, bird_blank_ids,
                  bird_equal_ids_need_two, bird_average_difference, bird_similarity_only],
    "suspect_source": [suspect_all_other_records, suspect_against_mode, suspect_counts_not_shares,
                       suspect_missing_labels_kept, suspect_every_record_counts, suspect_alphabetical_tie,
                       suspect_one_dissent_is_enough, suspect_half_is_a_conflict, suspect_all_must_disagree,
                       suspect_assumes_sorted, suspect_dropna_everywhere, suspect_per_bird_not_per_record,
                       suspect_pairwise_disagreements, suspect_checked_without_labels],
    "normalized_gain": [gain_equals_one_only_pre_checked, gain_truthiness, gain_abs_change, gain_percent_rounded,
                        gain_of_remaining_after, gain_ceiling_as_full, gain_relative_to_start, gain_difference_only],
}

# The wrong implementations issue #20 reported as accepted; each is one of the mutants above.
ISSUE_20_EXAMPLES = {"uncovered_needs": [needs_later_source_overwrites], "currentness_rule": [current_refuses_now],
                     "disguised_missing": [missing_no_lower, missing_no_strip, missing_only_float_nan],
                     "gate_condition": [gate_label_counted_as_feature],
                     "unit_contract": [unit_keyerror_on_dropped_column],
                     "k_anonymity": [k_count_instead_of_size, k_min_over_single_columns],
                     "suspect_source": [suspect_all_other_records, suspect_against_mode],
                     "same_bird": [bird_five_percent_of_smaller]}

GENERIC_HINTS = ("Run your function on the input shown and work out by hand",
                 "Run your function on a small example of the failing kind")


def _exercises():
    found = {}
    for notebook in notebooks():
        for key, question in for_notebook(notebook).items():
            if isinstance(question, CodeExercise):
                found[key] = notebook
    return found


EXERCISES = _exercises()


@functools.cache
def _exercise(key):
    """One instance per exercise for the whole module: its generated inputs and their expected results are made
    once (as in a notebook, where the learner checks again and again)."""
    return for_notebook(EXERCISES[key])[key]


def _mutants():
    for key, functions in MUTANTS.items():
        for function in functions:
            yield pytest.param(key, function, id=f"{key}:{function.__name__}")


def test_every_code_exercise_has_at_least_six_mutants_and_the_issues_examples_are_among_them():
    counts = {key: len(MUTANTS.get(key, [])) for key in EXERCISES}
    assert min(counts.values()) >= 6, counts
    for key, examples in ISSUE_20_EXAMPLES.items():
        assert set(examples) <= set(MUTANTS[key]), key


@pytest.mark.parametrize("key, mutant", list(_mutants()))
def test_a_mutant_is_rejected_with_a_hint_and_found_by_the_generated_inputs_alone(key, mutant):
    exercise = _exercise(key)
    feedback = exercise.check(mutant)
    assert feedback.status == "incorrect", f"{mutant.__name__} was judged {feedback.status}: {feedback.message}"
    assert feedback.hint and not feedback.hint.startswith(GENERIC_HINTS), (mutant.__name__, feedback.hint)
    # The named cases removed, the comparison on generated inputs must find it by itself, within the exercise's
    # fixed number of generated inputs (the same ones at every check: the budget is a count, not a time).
    without_cases = copy.copy(exercise)
    without_cases.cases = []
    found = without_cases.find_counterexample(mutant, shrink=False)
    assert found is not None, f"{mutant.__name__} agrees with the solution on all {exercise.examples} generated inputs"
    assert not found.got.same_as(found.expected, exercise.compare)
    assert found.tried <= len(exercise.generated_inputs())


def test_the_issues_own_example_single_columns_overstate_k_on_the_notebooks_adult_sample():
    from lifecycle_kit.datasets import load

    sample = load("adult").frame.sample(2000, random_state=0)  # the sample notebook 10 applies k_anonymity to
    exercise = _exercise("k_anonymity")
    assert exercise.reference(sample, ["sex", "race"]) == 7
    assert k_min_over_single_columns(sample, ["sex", "race"]) == 15  # what a checker once accepted
    feedback = exercise.check(k_min_over_single_columns)
    assert feedback.status == "incorrect" and "Group by all the quasi-identifiers together" in feedback.hint
