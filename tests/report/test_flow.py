"""The patient-flow diagram: boxes for every step, the split, escaped labels, valid SVG."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

from remarkit.report.flow import flow_data_uri, flow_svg

COHORT = {
    "n": 203,
    "n_train": 153,
    "n_test": 50,
    "events_train": 93,
    "events_test": 35,
    "positive": "DCB",
}
FLOW = [
    {"label": "Screened", "n": 255, "excluded": None},
    {"label": "No CT <scan> & more", "n": None, "excluded": 39},
    {"label": "Poor images", "n": None, "excluded": 13},
    {"label": "Analysed", "n": 203, "excluded": None},
]
NS = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_boxes_for_steps_exclusions_and_split() -> None:
    svg = flow_svg(FLOW, COHORT)
    texts = _texts(svg)
    for expected in (
        "Screened",
        "n = 255",
        "No CT <scan> & more",
        "excluded n = 39",
        "excluded n = 13",
        "n = 203",
        "Training set",
        "n = 153; DCB = 93",
        "Test set",
        "n = 50; DCB = 35",
    ):
        assert expected in texts
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{NS}rect"))) == 6
    assert "&lt;scan&gt; &amp; more" in svg


def test_trailing_exclusions_end_at_the_analysed_cohort() -> None:
    texts = _texts(flow_svg(FLOW[:3], COHORT))
    assert "Analysed" in texts and "n = 203" in texts


def test_empty_flow_and_long_labels_wrap() -> None:
    texts = _texts(flow_svg([], COHORT))
    assert texts[:2] == ["Analysed", "n = 203"]
    long = [{"label": "word " * 40, "n": 203, "excluded": None}]
    assert len(_texts(flow_svg(long, COHORT))) > 6


def test_data_uri_is_deterministic() -> None:
    uri = flow_data_uri(FLOW, COHORT)
    assert uri == flow_data_uri(FLOW, COHORT)
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == flow_svg(FLOW, COHORT)
