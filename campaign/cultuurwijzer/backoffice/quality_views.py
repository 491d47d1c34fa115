"""The quality check of an edition before publishing: agreement, separation and simulated first places."""

from __future__ import annotations

import threading

from flask import current_app, render_template

from campaign.core.access import role_required
from campaign.cultuurwijzer import advice
from campaign.cultuurwijzer.backoffice import bp
from campaign.cultuurwijzer.backoffice.common import load_edition
from campaign.cultuurwijzer.quality import QualityReport, check_quality

CACHE_SIZE = 32
# Reports by (edition version, simulations); the version holds the edition's id, revision and timestamp,
# so a changed edition gets a new report and a reload does not simulate again.
_reports: dict[tuple[str, int], QualityReport] = {}
_reports_lock = threading.Lock()


def _report(edition: advice.CompiledEdition, simulations: int) -> QualityReport:
    key = (edition.version, simulations)
    with _reports_lock:
        found = _reports.get(key)
    if found is None:
        # Computed outside the lock (about a second): two editors reloading at once both compute it.
        found = check_quality(edition.positions, [p.key for p in edition.parties],
                              [s.key for s in edition.statements], simulations=simulations)
        with _reports_lock:
            while len(_reports) >= CACHE_SIZE:
                del _reports[next(iter(_reports))]  # the oldest
            _reports[key] = found
    return found


def _luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    srgb = [c / 255 for c in rgb]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in srgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def heat_colours(share: float | None) -> tuple[str, str]:
    """(cell fill, text fill) for an agreement share 0..1: from the page's tint to the brand purple.

    The text is black or white, whichever contrasts more with the cell: at least 4.5:1 on any fill.
    None or NaN (nothing to compare) is grey.
    """
    if share is None or share != share:
        return "#e8e8ec", "#000000"
    light, dark = (0xf4, 0xf1, 0xfa), (0x5b, 0x2a, 0x86)
    rgb = tuple(round(lo + (hi - lo) * share) for lo, hi in zip(light, dark))
    return "#%02x%02x%02x" % rgb, "#000000" if _luminance(rgb) > 0.179 else "#ffffff"


@bp.get("/edities/<edition_id>/kwaliteit")
@role_required("editor")
def quality(edition_id: str):
    row = load_edition(edition_id)
    edition = advice.compiled_edition(row)
    report = None
    if edition.statements and edition.parties:
        report = _report(edition, current_app.config["QUALITY_SIMULATIONS"])
    return render_template("cultuurwijzer/admin/quality.html", edition=edition, report=report,
                           heat_colours=heat_colours)
