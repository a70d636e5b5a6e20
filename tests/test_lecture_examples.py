"""Every worked example of the slides, recomputed from the slides' own inputs: each value a slide prints
is reproduced, or the one it contradicts is named. The chapters assert the same; these tests keep
dlcourse/lecture_examples.py honest without building the book."""
import itertools
import re

import numpy as np
from scipy.signal import correlate2d

from dlcourse import lecture_examples as ex


def correlate(image, kernel, stride=1):
    """What deep-learning libraries call convolution: no kernel flip, no padding."""
    return correlate2d(image, kernel, mode="valid")[::stride, ::stride]


def max_pool(x, size=2):
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))


# ------------------------------------------------------------------ 000_0154bd652a9a1b0a.txt

def test_x_kernel_gives_the_first_value_the_slide_prints():
    assert correlate(ex.IMAGE_5X5, ex.X_KERNEL)[0, 0] == ex.X_5X5_FIRST_VALUE


def test_garbled_filters_of_000_read_as_the_intact_filters_of_004():
    # Filter 1: drop the stray first row. Filter 2: also restore the minus signs of its second row.
    np.testing.assert_array_equal(ex.FILTER_1_AS_TRANSCRIBED[1:], ex.FILTER_1)
    np.testing.assert_array_equal(ex.FILTER_2_AS_TRANSCRIBED[2:], ex.FILTER_2[1:])
    np.testing.assert_array_equal(ex.FILTER_2_AS_TRANSCRIBED[1], np.abs(ex.FILTER_2[0]))
    assert ex.IMAGE_7X7_AS_TRANSCRIBED.shape == (7, 7)
    assert set(np.unique(ex.IMAGE_7X7_AS_TRANSCRIBED)) == {0, 1}


def test_three_filters_need_30_parameters_and_three_dense_neurons_111():
    assert (3 * 3 + 1) * 3 == ex.PARAMS_CONV_3_FILTERS
    assert (6 * 6 + 1) * 3 == ex.PARAMS_DENSE_3_NEURONS


# ------------------------------------------------------------------ 002_f901df8a040b9a0e.txt

def _windows(image, k=3):
    n = image.shape[0] - k + 1
    return np.array([image[i : i + k, j : j + k].ravel() for i in range(n) for j in range(n)])


def test_scoreboard_filter_is_recovered_from_the_slides_input_and_output():
    windows, scores = _windows(ex.SCOREBOARD_INPUT), ex.SCOREBOARD.ravel()
    w, *_ = np.linalg.lstsq(windows, scores, rcond=None)
    np.testing.assert_array_equal(np.rint(w).reshape(3, 3), ex.SCOREBOARD_FILTER)
    keep = np.ones(36, bool)
    keep[np.ravel_multi_index(ex.SCOREBOARD_INCONSISTENT, (6, 6))] = False
    exact, *_ = np.linalg.lstsq(windows[keep], scores[keep], rcond=None)
    np.testing.assert_allclose(exact.reshape(3, 3), ex.SCOREBOARD_FILTER, atol=1e-9)  # fits the 35 exactly


def test_scoreboard_reproduces_35_printed_values_and_contradicts_row_2_column_4():
    computed = correlate(ex.SCOREBOARD_INPUT, ex.SCOREBOARD_FILTER)
    differ = list(zip(*np.nonzero(computed != ex.SCOREBOARD)))
    assert differ == [ex.SCOREBOARD_INCONSISTENT]
    assert (ex.SCOREBOARD[ex.SCOREBOARD_INCONSISTENT], computed[ex.SCOREBOARD_INCONSISTENT]) == (36, 37)


def test_no_single_changed_input_digit_explains_the_printed_36():
    # If the slide's 36 were right, some input digit would be wrong: changing any one digit by any
    # amount breaks another printed value, so the printed 36 is the slip.
    for (i, j), new in itertools.product(np.ndindex(8, 8), range(10)):
        board = ex.SCOREBOARD_INPUT.copy()
        board[i, j] = new
        assert not np.array_equal(correlate(board, ex.SCOREBOARD_FILTER), ex.SCOREBOARD)


def test_pooled_scoreboard_is_the_slides_3x3_either_way():
    computed = correlate(ex.SCOREBOARD_INPUT, ex.SCOREBOARD_FILTER)
    np.testing.assert_array_equal(max_pool(ex.SCOREBOARD), ex.SCOREBOARD_POOLED)
    np.testing.assert_array_equal(max_pool(computed), ex.SCOREBOARD_POOLED)


def test_a_filter_scores_3_on_its_own_pattern_and_1_on_the_other():
    for image, matching, other in [(ex.VERTICAL_3X3, ex.VERTICAL_3X3, ex.DIAGONAL_3X3),
                                   (ex.DIAGONAL_3X3, ex.DIAGONAL_3X3, ex.VERTICAL_3X3)]:
        assert (image * matching).sum() == ex.MATCH_SCORE
        assert (image * other).sum() == ex.MISMATCH_SCORE


def test_valid_padding_misses_the_edge_line_and_same_padding_finds_it():
    np.testing.assert_array_equal(correlate(ex.LINE_5X5, ex.VERTICAL_3X3), ex.VALID_RESULT)
    same = correlate(np.pad(ex.LINE_5X5, 1), ex.VERTICAL_3X3)
    np.testing.assert_array_equal(same[:, 0], ex.SAME_FIRST_COLUMN)
    assert same.shape == (5, 5) and not same[:, 1:].any()


# ------------------------------------------------------------------ 003_2c65e6a0c68a466a.txt

def test_blur_reproduces_all_16_printed_values():
    np.testing.assert_allclose(ex.BLUR_KERNEL * ex.BINARY_6X6[:3, :3], ex.BLUR_FIRST_WINDOW)
    np.testing.assert_allclose(ex.BLUR_FIRST_WINDOW.sum(), ex.BLUR_6X6[0, 0])
    np.testing.assert_array_equal(correlate(ex.BINARY_6X6, ex.BLUR_KERNEL).round(2), ex.BLUR_6X6)


def test_stride_2_and_3_keep_every_second_and_third_blurred_value():
    for stride, first_row in [(2, ex.BLUR_STRIDE_2_FIRST_ROW), (3, ex.BLUR_STRIDE_3_FIRST_ROW)]:
        strided = correlate(ex.BINARY_6X6, ex.BLUR_KERNEL, stride)
        np.testing.assert_array_equal(strided.round(2)[0], first_row)
        np.testing.assert_array_equal(strided.round(2), ex.BLUR_6X6[::stride, ::stride])


def test_zero_padding_is_numpy_constant_and_mirror_padding_is_symmetric_not_reflect():
    np.testing.assert_array_equal(np.pad(ex.BINARY_6X6, 1), ex.ZERO_PADDED_6X6)
    np.testing.assert_array_equal(np.pad(ex.BINARY_6X6, 1, mode="symmetric"), ex.MIRROR_PADDED_6X6)
    assert not np.array_equal(np.pad(ex.BINARY_6X6, 1, mode="reflect"), ex.MIRROR_PADDED_6X6)


def test_kernels_do_what_the_slides_name_them_for():
    image = ex.BINARY_6X6.astype(float)
    inner = image[1:-1, 1:-1]
    np.testing.assert_allclose(correlate(image, ex.IDENTITY_KERNEL), inner)
    np.testing.assert_allclose(correlate(image, ex.BRIGHTEN_KERNEL), 1.5 * inner)
    np.testing.assert_allclose(correlate(image, ex.DARKEN_KERNEL), 0.5 * inner)
    assert ex.SHARPEN_KERNEL.sum() == 1 and np.isclose(ex.BLUR_KERNEL.sum(), 1.01)
    bright_left = np.zeros((5, 6))
    bright_left[:, :3] = 1  # one vertical edge, brighter on the left
    assert (correlate(bright_left, ex.SOBEL_VERTICAL) > 0).any()  # the slides' sign: left minus right
    assert not correlate(bright_left, ex.SOBEL_HORIZONTAL).any()
    np.testing.assert_array_equal(ex.SOBEL_HORIZONTAL, ex.SOBEL_VERTICAL.T)


def test_max_pooling_keeps_each_windows_largest_value():
    np.testing.assert_array_equal(max_pool(ex.POOL_INPUT), ex.POOL_RESULT)


# ------------------------------------------------------------------ 004_daa7706f5aaf98f3.txt

def test_two_filters_make_a_2x4x4_stack_whose_first_window_pools_to_3():
    maps = np.stack([correlate(ex.IMAGE_6X6, f) for f in (ex.FILTER_1, ex.FILTER_2)])
    assert maps.shape == ex.FEATURE_STACK_SHAPE
    np.testing.assert_array_equal(maps[0, :2, :2], ex.MAX_POOL_WINDOW)
    assert max_pool(maps[0])[0, 0] == ex.MAX_POOL_WINDOW.max() == ex.MAX_POOL_WINDOW_RESULT
    for f, full in zip((ex.FILTER_1, ex.FILTER_2), maps):
        np.testing.assert_array_equal(correlate(ex.IMAGE_6X6, f, stride=2), full[::2, ::2])


def test_tumor_classifier_scores_91_percent_accuracy():
    total = ex.TUMOR_TP + ex.TUMOR_FP + ex.TUMOR_FN + ex.TUMOR_TN
    assert total == 100 and (ex.TUMOR_TP + ex.TUMOR_TN) / total == ex.TUMOR_ACCURACY


def test_gender_column_one_hot_encodes_to_the_slides_table():
    codes = [ex.GENDER_CATEGORIES.index(g) for g in ex.GENDER]
    np.testing.assert_array_equal(np.eye(3, dtype=int)[codes], ex.GENDER_ONE_HOT)
    assert ex.VOCABULARY_SIZE - 1 == ex.VOCABULARY_ZEROS


def _printed(value: str) -> float:
    return float(value[:-1]) * {"K": 1e3, "M": 1e6}[value[-1]] if value[-1] in "KM" else float(value)


def test_vgg16_table_rows_follow_from_the_layers_and_sum_to_15_2_million():
    depth, exact_total, printed_total = 3, 0, 0
    for layer, memory, params in ex.VGG16_TABLE:
        product, _, shown = memory.partition("=")
        exact = int(np.prod([int(f) for f in product.split("*")])) if shown else int(product)
        shown = shown or product
        assert abs(exact - _printed(shown)) / exact < 0.07, (layer, exact, shown)  # rounded as printed
        exact_total, printed_total = exact_total + exact, printed_total + _printed(shown)
        if layer.startswith("3x3 conv"):
            channels = int(layer.split()[-1])
            assert params == 3 * 3 * depth * channels, layer
            depth = channels
    assert f"{exact_total / 1e6:.1f}M" == f"{printed_total / 1e6:.1f}M" == "15.2M"
    assert f"{sum(p for *_, p in ex.VGG16_TABLE) / 1e6:.0f}M" == ex.VGG16_TOTAL_PARAMS
    # The slide's total: its arithmetic holds, but 24M is not what its rows add up to.
    assert ex.VGG16_TOTAL_MEMORY_VALUES * ex.VGG16_BYTES_PER_VALUE / 1e6 == ex.VGG16_TOTAL_MEMORY_MB
    assert re.match(r"24M \* 4 bytes ~= 96MB", ex.VGG16_TOTAL_MEMORY)
    assert exact_total < 0.7 * ex.VGG16_TOTAL_MEMORY_VALUES


def _ops(terms):
    return sum(28 * 28 * out * k * k * depth for out, k, depth in terms)


def test_inception_costs_854m_naive_and_271m_with_1x1_bottlenecks_not_353m():
    assert f"{_ops(ex.INCEPTION_NAIVE) / 1e6:.0f}M" == ex.INCEPTION_NAIVE_TOTAL
    assert sum(out for out, *_ in ex.INCEPTION_NAIVE) + 256 == ex.INCEPTION_NAIVE_OUTPUT_DEPTH
    as_printed = ex.INCEPTION_BOTTLENECK
    corrected = [t if i != ex.INCEPTION_BOTTLENECK_TYPO else (t[0], t[1], 64) for i, t in enumerate(as_printed)]
    assert as_printed[ex.INCEPTION_BOTTLENECK_TYPO][2] == 264
    assert _ops(corrected) == 271_351_808 and _ops(as_printed) == 647_671_808
    assert ex.INCEPTION_BOTTLENECK_TOTAL not in {f"{_ops(corrected) / 1e6:.0f}M", f"{_ops(as_printed) / 1e6:.0f}M"}


def test_backpropagation_formula_of_the_slides_matches_a_numerical_gradient():
    # The slides' 2-2-2-1 network: sigmoid hidden layers, linear output z3 = y_hat, no biases,
    # L = 1/(2n) sum (y_hat - y)^2. The slides' formula for dL/dw^1_11, for one example (n = 1).
    sig = lambda z: 1 / (1 + np.exp(-z))
    dsig = lambda z: sig(z) * (1 - sig(z))
    rng = np.random.default_rng(0)
    W1, W2, W3, x, y = rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), rng.normal(size=(1, 2)), rng.normal(size=2), 0.5

    def loss(w11):
        V1 = W1.copy()
        V1[0, 0] = w11
        y_hat = W3 @ sig(W2 @ sig(V1 @ x))
        return 0.5 * (y_hat[0] - y) ** 2

    z1 = W1 @ x
    z2 = W2 @ sig(z1)
    y_hat = (W3 @ sig(z2))[0]
    slides = (y_hat - y) * sum(W3[0, i] * dsig(z2[i]) * W2[i, 0] for i in range(2)) * dsig(z1[0]) * x[0]
    h = 1e-6
    numeric = (loss(W1[0, 0] + h) - loss(W1[0, 0] - h)) / (2 * h)
    np.testing.assert_allclose(slides, numeric, rtol=1e-6)

