#!/usr/bin/env python3
"""Writes a man page from one of the project's Markdown documents (the subset docs/ uses:
headings, paragraphs, fenced code, bullet lists, pipe tables, inline code, bold and links).

    scripts/md2man.py docs/format.md chokepoint-format 5 "the graph file format of chokepoint" \
        > chokepoint-format.5

The date is SOURCE_DATE_EPOCH's (or 1970-01-01), so the page is the same on every build.
"""
import datetime
import os
import re
import sys


def escape(text):
    """Roff-safe text: backslashes doubled, a leading dot or quote made literal."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return text


def inline(text):
    out = []
    pos = 0
    for m in re.finditer(r"`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)]+)\)", text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("\\fB" + escape(m.group(1)) + "\\fR")
        elif m.group(2) is not None:
            out.append("\\fB" + escape(m.group(2)) + "\\fR")
        else:
            label, target = m.group(3), m.group(4)
            out.append(escape(label))
            if target.startswith("http"):
                out.append(" <" + escape(target) + ">")
            elif target.endswith(".md") or ".md#" in target:
                page = target.split("#")[0]
                out.append(" (" + escape(page) + ")")
        pos = m.end()
    out.append(escape(text[pos:]))
    line = "".join(out)
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def cells(row):
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [c.strip() for c in row.split("|")]


def convert(lines, name, section, description):
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    date = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%d")
    out = ["'\\\" t", f'.TH "{name.upper()}" "{section}" "{date}" "chokepoint" "chokepoint manual"',
           ".SH NAME", f"{name} \\- {escape(description)}"]
    i = 0
    paragraph = []

    def flush():
        if paragraph:
            out.append(".PP")
            out.extend(inline(p) for p in paragraph)
            paragraph.clear()

    while i < len(lines):
        line = lines[i].rstrip("\n")
        if line.startswith("```"):
            flush()
            out.extend([".PP", ".RS 2", ".nf"])
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                code = escape(lines[i].rstrip("\n"))
                out.append("\\&" + code)
                i += 1
            out.extend([".fi", ".RE"])
            i += 1
            continue
        if line.startswith("# "):
            flush()
            out.append(".SH DESCRIPTION")
            out.append(".PP")
            out.append(inline(line[2:]) + ".")
            i += 1
            continue
        if line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            title = line[level:].strip()
            plain = title.replace("`", "").replace('"', "")
            out.append(('.SH "' + escape(plain.upper()) if level == 2 else '.SS "' + escape(plain))
                       + '"')
            i += 1
            continue
        if line.startswith("|"):
            flush()
            header = cells(line)
            rows = []
            i += 1
            if i < len(lines) and re.match(r"^\|?\s*:?-", lines[i]):
                i += 1
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(cells(lines[i]))
                i += 1
            columns = len(header)
            out.append(".TS")
            out.append("allbox tab(\t);")
            out.append(" ".join(["lb"] * columns))
            out.append(" ".join(["l"] * (columns - 1) + ["lx"]) + ".")
            out.append("\t".join(inline(h) for h in header))
            for row in rows:
                row = (row + [""] * columns)[:columns]
                out.append("\t".join("T{\n" + inline(c) + "\nT}" for c in row))
            out.append(".TE")
            continue
        if re.match(r"^\s*- ", line):
            flush()
            item = [line.split("- ", 1)[1]]
            i += 1
            while i < len(lines) and lines[i].startswith("  ") and lines[i].strip():
                item.append(lines[i].strip())
                i += 1
            out.append(".IP \\(bu 2")
            out.extend(inline(p) for p in item)
            continue
        if not line.strip():
            flush()
            i += 1
            continue
        paragraph.append(line.strip())
        i += 1
    flush()
    out.append(".SH SEE ALSO")
    out.append("\\fBchokepoint\\fR(1); the guides in /usr/share/doc/chokepoint/.")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: md2man.py FILE.md NAME SECTION DESCRIPTION")
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.readlines()
    sys.stdout.write(convert(lines, sys.argv[2], sys.argv[3], sys.argv[4]))


if __name__ == "__main__":
    main()
