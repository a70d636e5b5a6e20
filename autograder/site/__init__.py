"""What students see: the book's build, the public tree, the Colab path, link and leak checks.

May import `autograder` (paths, `heldout` for the leak check, `limits`) only; nothing of grading or the sandbox.
"""
