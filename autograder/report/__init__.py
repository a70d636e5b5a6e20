"""Reports on graded classes: what the grades say, for the instructor.

Owns the class report and the term report (`stats`: the numbers, computed once; `page`: the HTML
pages and their figures) and the similarity check (`similarity`: answer cells compared pairwise).
May import `autograder.grading.classbook`, `.results` and `.assignment` (one reading of a graded
class) and `autograder.site.colab.book_url` (links to the book); nothing imports it back except
the `course` command.
"""
