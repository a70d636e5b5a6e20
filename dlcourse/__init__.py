"""Helpers shared by the book's chapters and the assignments.

Students import this package, so it holds no solutions and nothing of the grader.
"""
from dlcourse.data import load_dataset, load_sample_image
from dlcourse.plotting import setup_matplotlib

__all__ = ["load_dataset", "load_sample_image", "setup_matplotlib"]
