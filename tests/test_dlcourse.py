"""The helper package students import: offline data with checksums, Chinese-capable figures, no answers."""
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import dlcourse
from dlcourse import data


@pytest.mark.parametrize("name, shape", [("digits", (1797, 8, 8)), ("mnist-subset", (5000, 28, 28))])
def test_offline_datasets_load_and_match_their_checksum(name, shape):
    x, y = dlcourse.load_dataset(name)
    assert x.shape == shape and y.shape == shape[:1]
    assert set(np.unique(y)) == set(range(10))


def test_changed_data_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(data.DATASETS, "digits", data.Dataset(
        lambda: (np.zeros((2, 8, 8), np.uint8), np.zeros(2, np.int64)), "0" * 64, True, "tampered"))
    with pytest.raises(data.DataChecksumError, match="does not match"):
        dlcourse.load_dataset("digits")


def test_unknown_dataset_names_the_choices():
    with pytest.raises(KeyError, match="mnist-subset"):
        dlcourse.load_dataset("cifar")


def test_sample_image_is_an_rgb_photo():
    img = dlcourse.load_sample_image()
    assert img.shape == (600, 512, 3) and img.dtype == np.float32
    assert 0 <= img.min() < img.max() <= 1


def test_setup_matplotlib_picks_a_font_with_chinese_glyphs():
    family = dlcourse.setup_matplotlib()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "卷積神經網路池化權重")


def test_figures_are_drawn_at_twice_their_display_size_and_record_their_smallest_text():
    import io

    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from PIL import Image

    from dlcourse import plotting

    dlcourse.setup_matplotlib()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    ax.text(0.5, 0.5, "卷積 3", fontsize=20)
    ax.set_xlabel("步長 (stride)", fontsize=14)
    png, size = plotting.figure_png(fig)
    plt.close(fig)
    image = Image.open(io.BytesIO(png))
    assert (image.width // 2, image.height // 2) == (size["width"], size["height"])
    smallest = float(image.text[plotting.FONT_PX_KEY])  # the tick labels, at the default size
    assert smallest == round(plotting.FONT_PT * plotting.FIGURE_DPI / 72, 2)
