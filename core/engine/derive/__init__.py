"""Derived variables (``[cohort.derived.NAME]``) and plausible-range checks.

Modules: ``spec`` (the rule tables), ``expression`` (the safe arithmetic parser), ``rules``
(evaluating one rule), ``records`` (what results.json records), ``ranges``, ``methods`` and
``evaluate`` (:func:`remarkit.engine.derive.evaluate.derive_cohort`, called by the engine).
"""
