# Correct work that sleeps on every call, each call under the time limit: a test cell making
# a hundred calls would hold a worker for ten minutes and pass.
# cell: output_size
import time

def output_size(n, k, stride=1, padding=0):
    time.sleep(6)
    if padding == "same":
        return -(-n // stride)
    padding = 0 if padding == "valid" else padding
    return (n + 2 * padding - k) // stride + 1
