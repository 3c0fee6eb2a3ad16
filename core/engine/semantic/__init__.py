"""Semantic features scored by several readers (``[cohort.semantic.NAME]``).

Modules: ``spec`` (the feature tables), ``consensus`` (the consensus rules), ``read`` (reading
and checking the readers' columns of the cohort table), ``records`` (what results.json records)
and ``methods`` (the Methods paragraph). The consensus of each feature becomes a categorical
cohort variable ``NAME``; the readers' scores stay with the cohort for the ``semantic_agreement``
unit.
"""
