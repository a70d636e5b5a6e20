"""What students see: the book's build, the public tree, the Colab path, link and leak checks.

May import `autograder` (paths) only; nothing of grading or the sandbox.
"""
