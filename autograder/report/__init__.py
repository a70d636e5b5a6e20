"""Reports on graded classes: what the grades say, for the instructor.

Owns the class report and the term report (`stats`: the numbers, computed once; `page`: the HTML
pages and their figures) and the similarity check (`similarity`: answer cells compared pairwise).
May import `autograder.grading.classbook`, `.results` and `.assignment` (one reading of a graded
class), `autograder.site.colab.book_url` (links to the book) and `dlcourse` (the figures' CJK
font); nothing imports it back except the `course` command.
"""

# The similarity check lists a pair when one of the two has at least this share of their code in
# common (here, not in similarity.py, so that `course --help` shows it without importing the check).
SIMILARITY_THRESHOLD = 0.5
