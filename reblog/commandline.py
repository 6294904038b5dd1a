"""What the commands share: their options as make variables, and paths shown short.

`make repost SOURCE=... SLUG=x` runs `reblog-repost ... --slug=x`. The Makefile exports
REBLOG_INVOKED_AS=make, and make puts the variables the blogger typed into the command's
environment (unquoted by make, so any text survives). Each command declares once which make
variable stands for which of its options (a `MakeVariables`); from that one table it reads
them, lists them in --help, and names an option in a message the way the blogger gave it:
"choose another with SLUG=…" under make, "--slug" when run directly.
"""

import argparse
import os
import re
import sys
import textwrap
from pathlib import Path

INVOKED_AS = "REBLOG_INVOKED_AS"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


class MakeVariables:
    """One command's options as make variables: {"--slug": "SLUG", ...}. `targets` names the
    make targets that run it; `flags` are the options without a value (REPOST=1: --repost)."""

    def __init__(self, targets, variables, flags=()):
        self.targets = targets
        self.variables = dict(variables)
        self.flags = set(flags)

    @property
    def under_make(self):
        return os.environ.get(INVOKED_AS) == "make"

    def argv(self):
        """The options the make variables give, as arguments (none unless run by make)."""
        if not self.under_make:
            return []
        found = []
        for option, variable in self.variables.items():
            value = os.environ.get(variable, "")
            if option in self.flags:
                if value not in ("", "0"):  # REPOST=1 (REPOST=0 or REPOST= : no)
                    found.append(option)
            elif value:
                found.append(f"{option}={value}")  # one word: a value may start with "-"
        return found

    def option(self, option, value="…"):
        """`option` as the blogger gives it: SLUG=… under make, --slug otherwise; a `value`
        such as "N" is shown in both forms (ITEM=N, --item N)."""
        if self.under_make and option in self.variables:
            return f"{self.variables[option]}={'1' if option in self.flags else value}"
        return f"{option} {value}" if value not in ("", "…") else option

    def spoken(self, message):
        """`message` with every option it names in the form the blogger gave it."""
        return OPTION.sub(lambda match: self.option(match.group(0), ""), message)

    def epilog(self):
        """--help's last paragraph: each option's make variable, one a line."""
        rows = [
            (variable + ("=1" if option in self.flags else "="), option)
            for option, variable in self.variables.items()
        ]
        rows.append(('ARGS="..."', "any other option"))
        width = max(len(variable) for variable, _ in rows) + 2
        lines = [f"  {variable:<{width}}{option}" for variable, option in rows]
        return "\n".join([f"The options as make variables ({self.targets}):", *lines])

    def parser(self, description, **kwargs):
        """An ArgumentParser whose --help lists the make variables and whose errors name them."""
        return _Parser(
            make_variables=self,
            description=textwrap.fill(description, 79),
            epilog=self.epilog(),
            formatter_class=argparse.RawDescriptionHelpFormatter,  # keeps the epilog's lines
            **kwargs,
        )


class _Parser(argparse.ArgumentParser):
    def __init__(self, *, make_variables, **kwargs):
        super().__init__(**kwargs)
        self.make_variables = make_variables

    def error(self, message):
        super().error(self.make_variables.spoken(message))


def site_settings(prog, settings_file, content=None):
    """The Pelican settings a command works with (PATH overridden by `content`), or None,
    after saying so on stderr, when the settings file is missing."""
    from pelican.settings import read_settings  # noqa: PLC0415 -- only these commands need it

    if not Path(settings_file).is_file():
        print(f"{prog}: settings file not found: {settings_file}", file=sys.stderr)
        return None
    override = {"PATH": str(Path(content).resolve())} if content else None
    return read_settings(settings_file, override=override)


def shown(path):
    """`path` relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
