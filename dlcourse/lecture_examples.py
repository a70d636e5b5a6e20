"""The lectures' worked examples: inputs and the results the slides state.

One source for these figures: the book asserts its computations against them and
the assignments' tests reuse them. Where the slides give only the result, the input
here is reconstructed so that it reproduces every number the slides state (marked).
"""
import numpy as np

# Blur kernel from the slides: weights close to a 3x3 Gaussian.
BLUR_KERNEL = np.array([[0.06, 0.13, 0.06], [0.13, 0.25, 0.13], [0.06, 0.13, 0.06]])

# 6x6 binary image (reconstructed: the slides state only the result's first row).
BINARY_6X6 = np.array(
    [
        [1, 1, 1, 1, 1, 1],
        [0, 1, 0, 0, 1, 0],
        [0, 0, 1, 1, 0, 0],
        [0, 0, 1, 1, 0, 0],
        [0, 1, 0, 0, 1, 0],
        [1, 1, 1, 1, 1, 1],
    ]
)
BLUR_6X6_FIRST_ROW = np.array([0.56, 0.57, 0.57, 0.56])  # slides: 4x4 result, first row
BLUR_6X6_SHAPE = (4, 4)

# 5x5 image and the "X" kernel: the first value of the result is 4.
IMAGE_5X5 = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ]
)
X_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
X_5X5_FIRST_VALUE = 4

# 8x8 "scoreboard" of digits summed over each 3x3 window (reconstructed board;
# the slides state the 6x6 result's first row).
SCOREBOARD_8X8 = np.array(
    [
        [6, 4, 6, 0, 7, 1, 6, 9],
        [1, 2, 1, 2, 9, 1, 2, 9],
        [5, 2, 8, 2, 9, 1, 0, 9],
        [3, 6, 7, 6, 7, 6, 3, 5],
        [1, 9, 8, 6, 7, 3, 3, 5],
        [2, 0, 3, 7, 2, 6, 5, 4],
        [7, 8, 9, 7, 0, 3, 5, 0],
        [4, 1, 5, 1, 2, 3, 9, 4],
    ]
)
SUM_KERNEL = np.ones((3, 3), dtype=int)
SCOREBOARD_FIRST_ROW = np.array([35, 27, 44, 32, 36, 38])
SCOREBOARD_SHAPE = (6, 6)

# Max pooling, 2x2 window, stride 2.
POOL_INPUT = np.array([[110, 256, 153, 67], [12, 89, 88, 43], [10, 15, 50, 55], [23, 9, 49, 23]])
POOL_RESULT = np.array([[256, 153], [23, 55]])
