"""The JSON layout of the grouped golden fixtures (struct and view generators).

One case per line, keys sorted, ASCII only, no NaN: files that diff line by line and that
every generator writes the same way.
"""

import json
import sys


def grouped_fixture(about, generator, groups, seed=None):
    """The text of a fixture file: about, generator, groups (sorted), python, seed."""
    lines = ["{"]
    lines.append(' "about": %s,' % json.dumps(about, ensure_ascii=True))
    lines.append(' "generator": %s,' % json.dumps(generator))
    lines.append(' "groups": {')
    names = sorted(groups)
    for gi, name in enumerate(names):
        cases = groups[name]
        lines.append("  %s: [" % json.dumps(name))
        for ci, case in enumerate(cases):
            text = json.dumps(case, sort_keys=True, separators=(",", ":"), allow_nan=False,
                              ensure_ascii=True)
            lines.append("   " + text + ("," if ci + 1 < len(cases) else ""))
        lines.append("  ]" + ("," if gi + 1 < len(names) else ""))
    lines.append(" },")
    python = ' "python": %s' % json.dumps(sys.version.split()[0])
    if seed is None:
        lines.append(python)
    else:
        lines.append(python + ",")
        lines.append(' "seed": %d' % seed)
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # well-formed
    return text


def write_text(path, text):
    """Writes ASCII text with LF line ends."""
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
