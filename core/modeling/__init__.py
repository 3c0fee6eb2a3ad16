"""Logistic modelling on a unit's training set, shared by the clinical and integrator units.

Public helpers for units (built-in and third-party) that fit a logistic model on the training
patients of their context and apply it frozen: column labels and types (:mod:`.columns`), the
complete-case training frame and its checks (:mod:`.training`), the typed rows of logistic tables
(:mod:`.rows`), a named-warning fit (:mod:`.fit`) and frozen coefficients (:mod:`.frozen`).
ComBat harmonisation of features across batches, fitted on training samples and applied frozen,
is in :mod:`.combat` (its covariate coding in :mod:`.combat_design`).
"""
