"""Matplotlib set-up shared by every chapter: Chinese labels that render, figures legible on the site."""
from __future__ import annotations

import matplotlib
from matplotlib import font_manager

# Noto Sans CJK covers Traditional Chinese; the first family found wins.
CJK_FAMILIES = ("Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK SC")

FIGURE_DPI = 100  # CSS pixels per inch of a figure on the site
# Default text size: 18 px at FIGURE_DPI. A laptop shows cell outputs about 690 px wide, so a figure
# up to 7.5 in wide keeps its smallest text at the site's 16 px body-text size or more.
FONT_PT = 13
FONT_PX_KEY = "dlcourse:smallest-font-px"  # PNG text chunk that the site tests read


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


def smallest_font_px(fig) -> float | None:
    """Size in pixels (at FIGURE_DPI) of the smallest visible text in a drawn figure; None without text."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) * FIGURE_DPI / 72 if sizes else None


def figure_png(fig):
    """A figure as PNG bytes with twice the pixels it is shown at (sharp on high-density screens),
    plus its display size; the file records its smallest font size for the site tests."""
    from IPython.core.pylabtools import retina_figure

    fig.draw_without_rendering()  # tick labels get their text when drawn
    smallest = smallest_font_px(fig)
    return retina_figure(fig, metadata={} if smallest is None else {FONT_PX_KEY: f"{smallest:.2f}"})


def _show_figures_with_figure_png() -> None:
    """In IPython, display every matplotlib figure through figure_png."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    try:  # loading the inline backend registers its own formatter: load it first, then replace that
        import matplotlib_inline.backend_inline  # noqa: F401
    except ImportError:
        pass

    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


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
    matplotlib.rcParams["figure.dpi"] = FIGURE_DPI
    matplotlib.rcParams["font.size"] = FONT_PT
    for key in ("axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"):
        matplotlib.rcParams[key] = "medium"  # = FONT_PT: nothing in a figure smaller than body text
    _show_figures_with_figure_png()
    return family
