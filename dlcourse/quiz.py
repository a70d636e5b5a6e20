"""Self-check quizzes at the end of each chapter: shown with hideable answers, keys checked by code."""
from dataclasses import dataclass

LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Question:
    prompt: str
    choices: tuple[str, ...]
    answer: int  # index into choices
    why: str = ""

    @property
    def key(self) -> str:
        """The text of the correct choice."""
        return self.choices[self.answer]


def to_markdown(questions: list[Question]) -> str:
    """Numbered questions with lettered choices; each answer folded away in a dropdown."""
    parts = []
    for n, q in enumerate(questions, 1):
        choices = "\n".join(f"   - ({LETTERS[i]}) {c}" for i, c in enumerate(q.choices))
        parts.append(
            f"{n}. {q.prompt}\n\n{choices}\n\n"
            f"   <details><summary>答案 (answer)</summary>\n\n"
            f"   ({LETTERS[q.answer]}) {q.key}。{q.why}\n\n   </details>\n"
        )
    return "\n".join(parts)


def show(questions: list[Question]):
    """Display the quiz in a notebook (or the built book)."""
    from IPython.display import Markdown, display

    display(Markdown(to_markdown(questions)))


def check_key(question: Question, computed) -> None:
    """Assert that the answer key agrees with a value the notebook computed."""
    if str(computed) != question.key:
        raise AssertionError(f"quiz key {question.key!r} disagrees with the computed {computed!r}: {question.prompt}")
