"""The command line both learned-scorer scripts share (train_learning_scorer.py, train_task_scorer.py):
-h/--help prints the script's docstring, `--name VALUE` options and bare `--flag`s are taken out of
the arguments, and what is left is the sml-describe binary (build/tools/sml-describe by default)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


class Args:
    def __init__(self, doc, argv=None):
        self.args = list(sys.argv[1:] if argv is None else argv)
        # Asked for help: the caller prints nothing else and returns.
        self.help = "-h" in self.args or "--help" in self.args
        if self.help:
            print(doc.strip())

    def option(self, name, default=None):
        """The value after NAME (taken out of the arguments), or DEFAULT."""
        if name in self.args:
            i = self.args.index(name)
            if i + 1 >= len(self.args):
                raise SystemExit("%s needs a value" % name)
            v = self.args[i + 1]
            del self.args[i:i + 2]
            return v
        return default

    def flag(self, name):
        """Whether the bare flag NAME was given (taken out of the arguments)."""
        if name in self.args:
            self.args.remove(name)
            return True
        return False

    def binary(self):
        """The sml-describe to run: the argument left, or the build tree's."""
        return self.args[0] if self.args else os.path.join(ROOT, "build", "tools", "sml-describe")
