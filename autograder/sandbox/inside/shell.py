"""The IPython shell that runs a submission's cells, with the notebook syntax Colab users write.

A plain InteractiveShell fails on `%matplotlib inline` (no GUI) and would try to install packages
for `!pip install` or `%pip install` with no network; here those are skipped with a note in the
cell's output and the rest of the cell runs. `%time`, `%%time`, `%timeit` and other shell
commands work as in a notebook.
"""
import re

from IPython.core.interactiveshell import InteractiveShell

# Commands that install software: there is no network while grading, and the course's packages are there.
INSTALLER = re.compile(r"\s*(sudo\s+)?((python[\d.]*|py)\s+-m\s+)?(pip[\d.]*|conda|mamba|micromamba|uv|apt|apt-get)\b")
INSTALL_MAGICS = ("pip", "conda", "mamba", "micromamba", "uv")


def note(what: str, why: str) -> None:
    print(f"[grader] skipped {what}: {why}")


def _skip_install(line: str, command: str) -> None:
    note(f"`{command}`", "nothing is installed while grading (no network; the course's packages are there)")


class GradingShell(InteractiveShell):
    """InteractiveShell that skips what cannot work in the sandbox and says so."""

    def init_magics(self):
        super().init_magics()
        for name in INSTALL_MAGICS:
            self.register_magic_function(lambda line, name=name: _skip_install(line, f"%{name} {line}"), "line", name)
        self.register_magic_function(self._matplotlib, "line", "matplotlib")

    @staticmethod
    def _matplotlib(line: str) -> None:
        note(f"`%matplotlib {line}`", "figures are drawn but not shown while grading")

    def enable_gui(self, gui=None):
        """No GUI event loop in the sandbox; figures use the Agg backend."""

    def system(self, cmd: str):
        if INSTALLER.match(cmd):
            return _skip_install(cmd, f"!{cmd}")
        return super().system(cmd)

    def getoutput(self, cmd: str, split: bool = True, depth: int = 0):
        if INSTALLER.match(cmd):
            _skip_install(cmd, f"!{cmd}")
            return super().getoutput("true", split, depth)
        return super().getoutput(cmd, split, depth + 1)
