"""Matplotlib set-up shared by every chapter."""
from __future__ import annotations

import matplotlib
from matplotlib import font_manager

# Noto Sans CJK covers Traditional Chinese; the first family found wins.
CJK_FAMILIES = ("Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK SC")


def _register_bundled_font() -> None:
    """Add the Noto Sans CJK collection that the `noto-cjk-sans-otc` wheel ships."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return
    font_manager.fontManager.addfont(str(FONT_PATH))


def cjk_font_family() -> str | None:
    """Name of an installed CJK font family, registering the bundled one if needed."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names.intersection(CJK_FAMILIES):
        _register_bundled_font()
        names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


def setup_matplotlib() -> str:
    """Make Chinese labels render (not boxes) and set the course's figure defaults.

    Returns the CJK font family in use. Raises RuntimeError when none is installed,
    because a figure full of boxes is worse than a clear error.
    """
    family = cjk_font_family()
    if family is None:
        raise RuntimeError(
            "No CJK font found: run `pip install noto-cjk-sans-otc` "
            "(or `apt-get install fonts-noto-cjk`) and restart the kernel."
        )
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts lack U+2212
    matplotlib.rcParams["figure.dpi"] = 100
    return family
