"""Bad-input cases of the image manifest and images, and of the genomics files."""

from __future__ import annotations

from tests.bad_inputs.base import Case

FILE_CASES: list[Case] = []
