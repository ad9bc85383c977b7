"""The groups sections of the report (groups/report.py)."""
from __future__ import annotations

from groups.report import report_sections, report_steps


def test_report_sections_quick():
    sections = report_sections(quick=True)
    assert len(sections) >= 4
    for s in sections:
        assert s.to_latex().startswith("\\subsection*")


def test_the_full_report_has_more_steps_than_the_quick_one():
    quick, full = report_steps(quick=True), report_steps(quick=False)
    assert [label for label, _ in quick] == [label for label, _ in full if label in dict(quick)]
    assert len(full) > len(quick) and all(callable(step) for _, step in full)
