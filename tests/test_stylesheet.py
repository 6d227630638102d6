"""static/css/app.css keeps one class namespace per component, so no later rule can restyle another
feature's classes (a second `.bar` once collapsed the projector's vote bars into one letter per line)."""

import re
from pathlib import Path

from django.conf import settings

SHEET = Path(settings.BASE_DIR) / "static" / "css" / "app.css"
MARKER = re.compile(r"/\*\s*@(base|component\s+[a-z][a-z0-9-]*|appendix)\b.*?\*/", re.S)
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
STATE = re.compile(r"^(is|has)-")


def selectors(css: str) -> list[str]:
    """Every selector of every rule, also inside @media and @supports."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found, depth, start = [], 0, 0
    for i, char in enumerate(css):
        if char == "{":
            head = css[start:i].strip()
            if not head.startswith("@") and depth >= 0:
                found += [part.strip() for part in head.split(",") if part.strip()]
            depth += 1
            start = i + 1
        elif char == "}":
            depth -= 1
            start = i + 1
        elif char == ";" and depth == 0:
            start = i + 1
    return [s for s in found if not re.fullmatch(r"[\d.]+%|from|to", s)]


def sections(css: str) -> list[tuple[str, str]]:
    """(name, text) per marked section: "base", "component PREFIX" or "appendix"."""
    marks = list(MARKER.finditer(css))
    assert marks and marks[0].group(1) == "base", "app.css begins its rules with the @base marker"
    return [
        (" ".join(mark.group(1).split()), css[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else len(css)])
        for i, mark in enumerate(marks)
    ]


def owns(prefix: str, name: str) -> bool:
    return name == prefix or name.startswith(prefix + "__") or name.startswith(prefix + "--")


def check(css: str) -> list[str]:
    problems = []
    parts = sections(css)
    prefixes = [name.split()[1] for name, _ in parts if name.startswith("component")]
    for prefix in {p for p in prefixes if prefixes.count(p) > 1}:
        problems.append(f"two sections claim the prefix {prefix}")
    base = {c for name, text in parts if name == "base" for s in selectors(text) for c in CLASS.findall(s)}
    for name in sorted(base):
        owner = [p for p in prefixes if owns(p, name)]
        if owner:
            problems.append(f"base styles .{name}, which belongs to the component {owner[0]}")
    owned = set(base)
    for name, text in parts:
        if not name.startswith("component"):
            continue
        prefix = name.split()[1]
        for selector in selectors(text):
            names = CLASS.findall(selector)
            if not any(owns(prefix, n) for n in names):
                problems.append(f"{prefix}: »{selector}« holds none of the component's own classes")
            for n in names:
                if not (owns(prefix, n) or STATE.match(n) or n in base):
                    problems.append(f"{prefix}: »{selector}« styles .{n}, which is not {prefix}'s")
                elif owns(prefix, n):
                    owned.add(n)
    for name, text in parts:
        if name == "appendix":
            for selector in selectors(text):
                for n in CLASS.findall(selector):
                    if n in owned or any(owns(p, n) for p in prefixes):
                        problems.append(f"appendix: »{selector}« restyles .{n}, which base or a component owns")
    return problems


def test_every_component_styles_only_its_own_classes():
    assert check(SHEET.read_text(encoding="utf-8")) == []


def test_the_check_refuses_a_second_bar_later_in_the_sheet():
    css = """/* @base */ .panel { }
    /* @component vote-bars */ .vote-bars__item { display: grid; }
    /* @component sheet-overview */ .vote-bars__item { width: 0; } .bar { width: 0; }
    /* @appendix */ .panel { padding: 0; }"""
    problems = check(css)
    assert "sheet-overview: ».vote-bars__item« styles .vote-bars__item, which is not sheet-overview's" in problems
    assert "sheet-overview: ».bar« holds none of the component's own classes" in problems
    assert "appendix: ».panel« restyles .panel, which base or a component owns" in problems


def test_the_check_refuses_a_prefix_claimed_twice():
    css = (
        "/* @base */ p { }\n/* @component countdown */ .countdown { }\n/* @component countdown */ .countdown__clock { }"
    )
    assert check(css) == ["two sections claim the prefix countdown"]
