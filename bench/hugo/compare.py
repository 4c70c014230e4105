#!/usr/bin/env python3
"""Check that Hugo built the same pages as comptoir.

    python3 compare.py COMPTOIR_SITE HUGO_PUBLIC [--show N]

COMPTOIR_SITE is a comptoir build's site folder (DATA/current/site), HUGO_PUBLIC the Hugo
destination folder. Every comptoir HTML page is looked for in Hugo's output and both are
compared after removing the differences that are expected and harmless:

  - listing page N is `page-N.html`, canonical `?page=N`, for comptoir, and
    `page/N/index.html`, canonical `page/N/`, for Hugo;
  - Go's html/template writes ' and + as &#39; and &#43;;
  - JSON-LD is compared as data: key order and escapes (Go writes <, >, & as \\u003c…)
    do not count;
  - the fingerprints in the stylesheet and icon URLs;
  - a visible phone number written +33 1 41 13 33 00 or 01 41 13 33 00 (the templates
    follow comptoir at commit 99c1cf0, which shows the international form; a later
    comptoir may show the national one).

Prints how many pages are identical, differ, or are missing on either side, and a diff of
the first N differing pages of each kind (default 1).
"""

import difflib
import json
import os
import re
import sys


def hugo_path(rel: str) -> str:
    m = re.match(r"(.*/)?page-(\d+)\.html$", rel)
    return f"{m.group(1) or ''}page/{m.group(2)}/index.html" if m else rel


LD = re.compile(r'(<script type="application/ld\+json">)(.*?)(</script>)', re.S)


def canonical_json(m: re.Match) -> str:
    try:
        data = json.loads(m.group(2))
    except ValueError:
        return m.group(0)
    return m.group(1) + json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + m.group(3)


def normalise(s: str) -> str:
    s = LD.sub(canonical_json, s)
    for a, b in (("&#39;", "'"), ("&#43;", "+")):
        s = s.replace(a, b)
    s = re.sub(r"/assets/(style|favicon)\.[0-9a-f]+\.(css|svg)", r"/assets/\1.X.\2", s)
    s = re.sub(r">\+33 (\d) ((?:\d\d ?){4})<", r">0\1 \2<", s)
    return re.sub(r"\?page=(\d+)", r"page/\1/", s)


def html_files(root: str) -> set[str]:
    out = set()
    for d, _, files in os.walk(root):
        out.update(os.path.relpath(os.path.join(d, f), root) for f in files if f.endswith(".html"))
    return out


def main() -> None:
    args = sys.argv[1:]
    show = 1
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    comptoir, hugo = args
    c_files, h_files = html_files(comptoir), html_files(hugo)
    mapped = {hugo_path(rel): rel for rel in c_files}
    same, differ = 0, {}
    for h_rel, c_rel in sorted(mapped.items()):
        if h_rel not in h_files:
            continue
        with open(os.path.join(comptoir, c_rel), encoding="utf-8") as f:
            a = normalise(f.read())
        with open(os.path.join(hugo, h_rel), encoding="utf-8") as f:
            b = normalise(f.read())
        if a == b:
            same += 1
        else:
            differ.setdefault(c_rel.split("/")[0], []).append((c_rel, a, b))
    only_c = sorted(rel for h, rel in mapped.items() if h not in h_files)
    only_h = sorted(h_files - mapped.keys())
    n_diff = sum(len(v) for v in differ.values())
    print(f"pages: comptoir {len(c_files)}, Hugo {len(h_files)}; identical {same}, different {n_diff}, "
          f"only comptoir {len(only_c)}, only Hugo {len(only_h)}")
    for rel in only_c[:10]:
        print("  only comptoir:", rel)
    for rel in only_h[:10]:
        print("  only Hugo:", rel)
    for kind, pages in differ.items():
        print(f"  different under {kind}/: {len(pages)}")
        for rel, a, b in pages[:show]:
            print(f"--- {rel}")
            for line in difflib.unified_diff(re.split(r"(?=<)", a), re.split(r"(?=<)", b), lineterm="", n=1):
                print("   ", line[:300])


if __name__ == "__main__":
    main()
