"""The lectures' worked examples: the inputs the slides give and the results they print.

One source for these figures. The chapters compute every result from the inputs here and assert
it against the printed values; tests/test_lecture_examples.py does the same without the book,
and the convolution assignment's tests reuse them. Each block names its seed file, the slide
transcription in shared/seeds/ it was read from. A printed value that its own inputs contradict
stays here as printed, with the place named, so the book can show both values.
"""
import numpy as np

# ---------------------------------------------------------------------------------------------
# 000_0154bd652a9a1b0a.txt: 5x5 image and the "X" kernel, no padding, stride 1.
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
X_5X5_FIRST_VALUE = 4  # the only value of the convolved feature the slide prints

# 000_0154bd652a9a1b0a.txt: the image and the two filters as transcribed. The image reads as
# seven rows of seven binary digits; each filter block has four rows where a 3x3 filter belongs
# (a stray first row "1 1 1"), and Filter 2 lost its minus signs in one row. The book keeps the
# image as printed and takes the filters from 004, whose slides show them intact.
IMAGE_7X7_AS_TRANSCRIBED = np.array(
    [
        [1, 0, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 0, 0, 1],
        [0, 0, 1, 0, 0, 0, 1],
        [1, 0, 0, 1, 1, 0, 0],
        [0, 1, 0, 0, 0, 1, 0],
        [0, 0, 1, 0, 0, 1, 0],
        [0, 0, 1, 0, 0, 1, 0],
    ]
)
FILTER_1_AS_TRANSCRIBED = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]])
FILTER_2_AS_TRANSCRIBED = np.array([[1, 1, 1], [1, 1, 1], [-1, 1, -1], [-1, 1, -1]])

# 000_0154bd652a9a1b0a.txt: a 6x6 one-channel input, three 3x3 filters vs three dense neurons.
PARAMS_CONV_3_FILTERS = 30  # (3 x 3 + 1) x 3
PARAMS_DENSE_3_NEURONS = 111  # (36 + 1) x 3

# ---------------------------------------------------------------------------------------------
# 002_f901df8a040b9a0e.txt: the 8x8 input, its 6x6 scoreboard (the output feature map: the
# slides' 記分板) and the scoreboard's 2x2 max pooling. The filter is shown only as a picture.
SCOREBOARD_INPUT = np.array(
    [
        [2, 5, 5, 2, 5, 2, 0, 1],
        [2, 3, 4, 0, 4, 2, 1, 5],
        [4, 3, 1, 3, 5, 5, 4, 3],
        [5, 3, 4, 5, 0, 2, 1, 5],
        [2, 3, 1, 1, 1, 0, 1, 3],
        [4, 4, 1, 1, 5, 1, 1, 4],
        [2, 3, 2, 2, 0, 4, 2, 4],
        [0, 5, 4, 5, 3, 4, 1, 4],
    ]
)
SCOREBOARD = np.array(  # as printed
    [
        [35, 27, 44, 32, 36, 38],
        [36, 36, 37, 36, 36, 43],
        [37, 37, 23, 26, 17, 35],
        [29, 25, 22, 18, 14, 27],
        [27, 25, 24, 21, 24, 32],
        [31, 38, 27, 34, 25, 40],
    ]
)
# Row 2, column 4 (index [1, 3]) does not follow from the input and the filter that the other
# 35 values determine: the slide prints 36 there, the input and filter give 37.
SCOREBOARD_INCONSISTENT = (1, 3)
# Recovered by least squares from the input and the 35 consistent values, then rounded to
# integers (the slide shows only a picture); tests/test_lecture_examples.py recovers it again.
SCOREBOARD_FILTER = np.array([[1, 0, 1], [2, 1, 3], [1, 1, 2]])
SCOREBOARD_POOLED = np.array([[36, 44, 43], [37, 26, 35], [38, 34, 40]])  # as printed

# 002_f901df8a040b9a0e.txt: why a filter scores high where the image looks like it.
VERTICAL_3X3 = np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]])  # the slides' Filter 1, and image 1
DIAGONAL_3X3 = np.eye(3, dtype=int)  # the slides' Filter 2, and image 2
MATCH_SCORE, MISMATCH_SCORE = 3, 1  # "3分", "1分"

# 002_f901df8a040b9a0e.txt: padding="valid" vs "same" for a vertical line on the image's edge.
LINE_5X5 = np.zeros((5, 5), dtype=int)
LINE_5X5[:, 0] = 1
VALID_RESULT = np.zeros((3, 3), dtype=int)  # printed: nine zeros, the line is never seen
SAME_FIRST_COLUMN = np.array([2, 3, 3, 3, 2])  # printed: the rest of the 5x5 scoreboard is 0

# ---------------------------------------------------------------------------------------------
# 003_2c65e6a0c68a466a.txt: kernels, with the slides' signs.
IDENTITY_KERNEL = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
BLUR_KERNEL = np.array([[0.06, 0.13, 0.06], [0.13, 0.25, 0.13], [0.06, 0.13, 0.06]])
SHARPEN_KERNEL = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
BRIGHTEN_KERNEL = np.array([[0, 0, 0], [0, 1.5, 0], [0, 0, 0]])
DARKEN_KERNEL = np.array([[0, 0, 0], [0, 0.5, 0], [0, 0, 0]])
SOBEL_VERTICAL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])  # finds vertical edges
SOBEL_HORIZONTAL = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])  # finds horizontal edges

# 003_2c65e6a0c68a466a.txt: the 6x6 image, blurred (stride 1, 2, 3) and padded.
BINARY_6X6 = np.array(
    [
        [1, 0, 1, 1, 0, 1],
        [0, 1, 0, 0, 1, 0],
        [0, 1, 1, 1, 1, 0],
        [0, 1, 1, 1, 1, 0],
        [1, 0, 1, 1, 0, 1],
        [1, 1, 0, 0, 1, 1],
    ]
)
BLUR_FIRST_WINDOW = np.array([[0.06, 0, 0.06], [0, 0.25, 0], [0, 0.13, 0.06]])  # kernel x window, summed: .56
BLUR_6X6 = np.array(  # as printed, two decimals
    [
        [0.56, 0.57, 0.57, 0.56],
        [0.70, 0.82, 0.82, 0.70],
        [0.69, 0.95, 0.95, 0.69],
        [0.64, 0.69, 0.69, 0.64],
    ]
)
BLUR_STRIDE_2_FIRST_ROW = np.array([0.56, 0.57])  # the slides show the first row of each
BLUR_STRIDE_3_FIRST_ROW = np.array([0.56, 0.56])
ZERO_PADDED_6X6 = np.array(
    [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 1, 0, 1, 0],
        [0, 0, 1, 0, 0, 1, 0, 0],
        [0, 0, 1, 1, 1, 1, 0, 0],
        [0, 0, 1, 1, 1, 1, 0, 0],
        [0, 1, 0, 1, 1, 0, 1, 0],
        [0, 1, 1, 0, 0, 1, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
    ]
)
MIRROR_PADDED_6X6 = np.array(  # the edge pixel repeats: NumPy's mode="symmetric"
    [
        [1, 1, 0, 1, 1, 0, 1, 1],
        [1, 1, 0, 1, 1, 0, 1, 1],
        [0, 0, 1, 0, 0, 1, 0, 0],
        [0, 0, 1, 1, 1, 1, 0, 0],
        [0, 0, 1, 1, 1, 1, 0, 0],
        [1, 1, 0, 1, 1, 0, 1, 1],
        [1, 1, 1, 0, 0, 1, 1, 1],
        [1, 1, 1, 0, 0, 1, 1, 1],
    ]
)

# 003_2c65e6a0c68a466a.txt: max pooling, 2x2 window, stride 2; and the dropout rates shown.
POOL_INPUT = np.array([[110, 256, 153, 67], [12, 89, 88, 43], [10, 15, 50, 55], [23, 9, 49, 23]])
POOL_RESULT = np.array([[256, 153], [23, 55]])
DROPOUT_RATES = (0, 0.2, 0.4)

# ---------------------------------------------------------------------------------------------
# 004_daa7706f5aaf98f3.txt: the 6x6 image and the two filters "to be learned", stride 1 and 2.
IMAGE_6X6 = np.array(
    [
        [1, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 1, 0],
        [0, 0, 1, 1, 0, 0],
        [1, 0, 0, 0, 1, 0],
        [0, 1, 0, 0, 1, 0],
        [0, 0, 1, 0, 1, 0],
    ]
)
FILTER_1 = np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]])
FILTER_2 = np.array([[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]])
FEATURE_STACK_SHAPE = (2, 4, 4)  # "Two 4 x 4 images forming 2 x 4 x 4 matrix"
MAX_POOL_WINDOW = np.array([[3, -1], [-3, 1]])  # "CNN in Keras": this 2x2 window pools to 3
MAX_POOL_WINDOW_RESULT = 3

# 004_daa7706f5aaf98f3.txt: AlphaGo's board as a 19 x 19 matrix.
GO_BOARD_SIZE = 19
GO_BLACK, GO_WHITE, GO_EMPTY = 1, -1, 0

# 004_daa7706f5aaf98f3.txt: the tumour classifier's confusion matrix and accuracy.
TUMOR_TP, TUMOR_FP, TUMOR_FN, TUMOR_TN = 1, 1, 8, 90
TUMOR_ACCURACY = 0.91

# 004_daa7706f5aaf98f3.txt: one-hot encoding of a Gender column; a 2,000-word vocabulary.
GENDER = ["Male", "Female", "Not Specified", "Not Specified", "Female"]  # IDs 1 to 5
GENDER_CATEGORIES = ["Male", "Female", "Not Specified"]  # the table's column order
GENDER_ONE_HOT = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0]])
VOCABULARY_SIZE = 2000
VOCABULARY_ZEROS = 1999  # zeros in each word's one-hot vector

# 004_daa7706f5aaf98f3.txt: VGG16 layer by layer, as the slide's table prints it: the layer,
# its activations ("memory") and its weights ("params", without biases).
VGG16_TABLE = [
    ("Input", "224*224*3=150K", 0),
    ("3x3 conv, 64", "224*224*64=3.2M", 1_728),
    ("3x3 conv, 64", "224*224*64=3.2M", 36_864),
    ("Pool", "112*112*64=800K", 0),
    ("3x3 conv, 128", "112*112*128=1.6M", 73_728),
    ("3x3 conv, 128", "112*112*128=1.6M", 147_456),
    ("Pool", "56*56*128=400K", 0),
    ("3x3 conv, 256", "56*56*256=800K", 294_912),
    ("3x3 conv, 256", "56*56*256=800K", 589_824),
    ("3x3 conv, 256", "56*56*256=800K", 589_824),
    ("Pool", "28*28*256=200K", 0),
    ("3x3 conv, 512", "28*28*512=400K", 1_179_648),
    ("3x3 conv, 512", "28*28*512=400K", 2_359_296),
    ("3x3 conv, 512", "28*28*512=400K", 2_359_296),
    ("Pool", "14*14*512=100K", 0),
    ("3x3 conv, 512", "14*14*512=100K", 2_359_296),
    ("3x3 conv, 512", "14*14*512=100K", 2_359_296),
    ("3x3 conv, 512", "14*14*512=100K", 2_359_296),
    ("Pool", "7*7*512=25K", 0),
    ("FC 4096", "4096", 102_760_448),
    ("FC 4096", "4096", 16_777_216),
    ("FC 1000", "1000", 4_096_000),
]
VGG16_TOTAL_MEMORY = "24M * 4 bytes ~= 96MB / image"  # the slide's total, as printed
VGG16_TOTAL_MEMORY_VALUES, VGG16_BYTES_PER_VALUE, VGG16_TOTAL_MEMORY_MB = 24_000_000, 4, 96
VGG16_TOTAL_PARAMS = "138M"

# 004_daa7706f5aaf98f3.txt: GoogLeNet's Inception module on a 28x28x256 input. Each term is
# (output channels, kernel size, input depth), as printed; the totals are the slide's.
INCEPTION_NAIVE = [(128, 1, 256), (192, 3, 256), (96, 5, 256)]
INCEPTION_NAIVE_OUTPUT_DEPTH = 672  # 128 + 192 + 96 + 256
INCEPTION_NAIVE_TOTAL = "854M"
INCEPTION_BOTTLENECK = [(64, 1, 256), (64, 1, 256), (128, 1, 256), (192, 3, 64), (96, 5, 264), (64, 1, 256)]
INCEPTION_BOTTLENECK_TYPO = 4  # term 5 prints 264 for the 64 channels the 1x1 reduction leaves
INCEPTION_BOTTLENECK_TOTAL = "353M"

# 004_daa7706f5aaf98f3.txt: GoogLeNet and ResNet as the slides describe them.
GOOGLENET_LAYERS = 22
GOOGLENET_PARAMS = 5_000_000  # "Only 5 million parameters!"
GOOGLENET_FEWER_THAN_ALEXNET = 12  # "12x less params than AlexNet"
GOOGLENET_TOP5_ERROR = 6.7  # ILSVRC'14 classification winner
VGG_TOP5_ERROR, ZFNET_TOP5_ERROR = 7.3, 11.7  # ILSVRC'14, ILSVRC'13
RESNET_LAYERS = 152
RESNET_DEPTHS = (34, 50, 101, 152)
RESNET_TOP5_ERROR = 3.57  # ILSVRC'15 classification winner

# 004_daa7706f5aaf98f3.txt: the course outline, week by week, as printed.
COURSE_OUTLINE = {
    1: "課程介紹/Introduction",
    2: "Python/Colab and TensorFlow",
    3: "Numpy/Pandas and PyTorch",
    4: "Sklearn and 機器學習",
    5: "Off",
    6: "神經網路, TensorFlow, PyTorch",
    7: "自動光學檢查(AOI)-1",
    8: "自動光學檢查(AOI)-2",
    9: "Midterm presentation",
    10: "RNN",
    11: "GAN",
    12: "Yolo",
    13: "NLP1-Word2Vec",
    14: "NLP2-Seq2Seq, Attention",
    15: "NLP3-Transformer, BERT",
    16: "AICUP 1",
    17: "AICUP 2",
    18: "Final presentation",
}
