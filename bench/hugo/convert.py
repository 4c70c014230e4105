#!/usr/bin/env python3
"""Convert a comptoir catalogue folder into a Hugo site folder, for the build benchmark.

    python3 convert.py CATALOGUE_DIR HUGO_SITE_DIR

CATALOGUE_DIR is a comptoir `content/` folder (town.toml, categories.toml, shops/...), as
documented in docs/catalogue.md and written by `comptoir gen-catalogue`. HUGO_SITE_DIR is
created (it must be absent or empty); the templates and config of bench/hugo/site-template/
are copied into it, then the catalogue is written as Hugo content and data:

    hugo.toml, layouts/, data/trades.toml,      copied from site-template/ (baseURL and
    data/modes.toml                             title set from town.toml)
    assets/assets/style.css, favicon.svg        copied from the repository's site/
    data/town.toml                              the town (amounts in cents, phone +33)
    data/rayons.toml                            the aisles, in comptoir's order
    content/_index.md                           home page
    content/boutiques/_index.md                 /boutiques/ (shops index)
    content/boutiques/<shop>/_index.md          /boutiques/<shop>/ (paginated, 48/page)
    content/boutiques/<shop>/<slug>.md          /boutiques/<shop>/<slug>/ (one per
                                                published product)
    content/rayons/<aisle>/_index.md            /rayons/<parent>/<aisle>/ (a taxonomy term
                                                page, paginated, 48/page)

The page set is the one comptoir builds: products with `published = false` are skipped,
the product slug is the file name unless `slug` is given, each product is tagged with
its aisle and every ancestor aisle (an aisle page lists the products of the aisle and of
its sub-aisles).

What the conversion does, and what it leaves to Hugo: it only parses and normalises
(TOML -> TOML, amounts to integer cents, French phone numbers to +33 form, picture
sizes read from the file headers as comptoir's loader does, the file's modification date
when `updated` is absent, the listing sort key = accent-folded lower-case title then id).
Everything a page shows -- prices on the build day, sale state, variants' "from" price,
shipping options and rates, JSON-LD, breadcrumbs, srcset widths, French dates and hours,
pagination -- is computed by the Hugo templates at build time, as comptoir computes it.
Validation is not redone: run it on catalogues comptoir accepts.

Python 3.11+, standard library only.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import sys
import tomllib
import unicodedata
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "site-template"
# comptoir's static assets (served fingerprinted): the repository's site/ folder.
ASSETS = Path(__file__).resolve().parents[2] / "site"

# --------------------------------------------------------------------------- TOML output


def toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items() if x is not None) + " }"
    raise TypeError(f"cannot write {v!r} as TOML")


def toml_doc(d: dict) -> str:
    """A TOML document: scalars and inline tables first, arrays of tables last."""
    lines, tables = [], []
    for k, v in d.items():
        if v is None:
            continue
        if isinstance(v, dict) and any(isinstance(x, dict) for x in v.values()):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables.append((k, v))
        else:
            lines.append(f"{k} = {toml_value(v)}")
    for k, v in tables:
        if isinstance(v, dict):
            lines.append(f"\n[{k}]")
            lines.append(toml_doc(v).rstrip("\n"))
        else:
            for item in v:
                lines.append(f"\n[[{k}]]")
                lines.append(toml_doc(item).rstrip("\n"))
    return "\n".join(lines) + "\n"


def write_page(path: Path, front: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("+++\n" + toml_doc(front) + "+++\n" + body, encoding="utf-8")


# --------------------------------------------------------------------------- normalising


def cents(v) -> int:
    """comptoir's Money::parse: "12", "12.5", "12.50", "12,50" or a whole number."""
    if isinstance(v, bool) or isinstance(v, float):
        raise ValueError(f"bad amount {v!r}")
    if isinstance(v, int):
        return v * 100
    text = v.strip()
    for sep in ".,":
        if sep in text:
            whole, frac = text.split(sep, 1)
            break
    else:
        whole, frac = text, ""
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(f"bad amount {v!r}")
    return int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)


def french_phone(text: str) -> str:
    """comptoir's french_phone: "01 46 61 22 33" -> "+33 1 46 61 22 33"."""
    digits = "".join(c for c in text if c.isdigit())
    national = "0" + digits[2:] if text.lstrip().startswith("+") else digits
    rest = national[1:]
    return "+33 " + rest[0] + " " + " ".join(rest[i : i + 2] for i in range(1, len(rest), 2))


def fold(title: str) -> str:
    """Accents folded, lower case (comptoir uses deunicode, then to_lowercase)."""
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_ish = "".join(c for c in decomposed if not unicodedata.combining(c))
    for a, b in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss"),
                 ("’", "'"), ("‘", "'"), ("«", '"'), ("»", '"'), ("–", "-"), ("—", "-")):
        ascii_ish = ascii_ish.replace(a, b)
    return ascii_ish.lower()


def date_str(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return v.isoformat() if isinstance(v, dt.date) else str(v)


# --------------------------------------------------------------------------- picture sizes


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a JPEG, PNG or WebP header; None when unreadable."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
            if head[:8] == b"\x89PNG\r\n\x1a\n":
                return struct.unpack(">II", head[16:24])
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                chunk = head[12:16]
                if chunk == b"VP8 ":
                    w, h = struct.unpack("<HH", head[26:30])
                    return w & 0x3FFF, h & 0x3FFF
                if chunk == b"VP8L":
                    b = head[21:25]
                    w = 1 + (((b[1] & 0x3F) << 8) | b[0])
                    h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
                    return w, h
                if chunk == b"VP8X":
                    w = 1 + int.from_bytes(head[24:27], "little")
                    h = 1 + int.from_bytes(head[27:30], "little")
                    return w, h
                return None
            if head[:2] == b"\xff\xd8":
                f.seek(2)
                while True:
                    marker = f.read(2)
                    if len(marker) < 2 or marker[0] != 0xFF:
                        return None
                    while marker[1] == 0xFF:
                        marker = marker[1:] + f.read(1)
                    m = marker[1]
                    if m in (0xD8, 0x01) or 0xD0 <= m <= 0xD7:
                        continue
                    (length,) = struct.unpack(">H", f.read(2))
                    if m in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                        _, h, w = struct.unpack(">BHH", f.read(5))
                        return w, h
                    f.seek(length - 2, os.SEEK_CUR)
    except OSError:
        return None
    return None


def shop_images(shop_dir: Path) -> dict[str, tuple[int, int]]:
    sizes = {}
    folder = shop_dir / "images"
    if folder.is_dir():
        for entry in os.scandir(folder):
            if entry.is_file() and entry.name.rsplit(".", 1)[-1].lower() in ("jpg", "jpeg", "png", "webp"):
                size = image_size(Path(entry.path))
                if size:
                    sizes[entry.name] = size
    return sizes


def picture(name: str, sizes: dict) -> dict:
    w, h = sizes[name]
    return {"file": name, "width": w, "height": h}


# --------------------------------------------------------------------------- conversion


def read_toml(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def split_front(text: str) -> tuple[str, str]:
    """TOML front matter between the first two `+++` lines, and the Markdown after."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        raise ValueError("no +++ front matter")
    for i in range(1, len(lines)):
        if lines[i].strip() == "+++":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    raise ValueError("unclosed +++ front matter")


def convert_town(town: dict) -> dict:
    out = {k: town[k] for k in ("name", "site_name", "base_url", "tagline", "description", "email")}
    out["phone"] = french_phone(town["phone"])
    out["postcodes"] = town.get("postcodes", [])
    out["return_days"] = town["return_days"]
    out["address"] = town["address"]
    out["delivery_points"] = [
        {"id": p["id"], "kind": p["kind"], "name": p["name"], "fee": cents(p["fee"])}
        for p in town.get("delivery_points", [])
    ]
    if "home_delivery" in town:
        out["home_delivery"] = {"fee": cents(town["home_delivery"]["fee"])}
    if "postal" in town:
        p = town["postal"]
        out["postal"] = {
            "days_min": p["days_min"],
            "days_max": p["days_max"],
            "bands": [{"up_to_grams": b["up_to_grams"], "price": cents(b["price"])} for b in p["bands"]],
        }
    return out


def convert(src: Path, dst: Path) -> dict:
    if dst.exists() and any(dst.iterdir()):
        sys.exit(f"{dst} exists and is not empty")
    shutil.copytree(TEMPLATE, dst, dirs_exist_ok=True)
    content, data = dst / "content", dst / "data"
    content.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)

    town = convert_town(read_toml(src / "town.toml"))
    (data / "town.toml").write_text(toml_doc(town), encoding="utf-8")
    config = dst / "hugo.toml"
    config.write_text(
        f"baseURL = {toml_str(town['base_url'] + '/')}\ntitle = {toml_str(town['site_name'])}\n"
        + config.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (dst / "assets" / "assets").mkdir(parents=True, exist_ok=True)
    for name in ("style.css", "favicon.svg"):
        shutil.copyfile(ASSETS / name, dst / "assets" / "assets" / name)

    # Aisles: comptoir keeps file order (a parent is declared above its children).
    cats = read_toml(src / "categories.toml").get("category", [])
    by_slug = {c["slug"]: c for c in cats}

    def trail(slug: str) -> list[str]:
        chain = [slug]
        while by_slug[chain[-1]].get("parent"):
            chain.append(by_slug[chain[-1]]["parent"])
        return chain[::-1]

    rayons = {
        "order": [c["slug"] for c in cats],
        "aisle": {
            c["slug"]: {"name": c["name"], "description": c["description"], "parent": c.get("parent", "")}
            for c in cats
        },
    }
    (data / "rayons.toml").write_text(toml_doc(rayons), encoding="utf-8")
    for c in cats:
        path = "/rayons/" + "/".join(trail(c["slug"])) + "/"
        write_page(
            content / "rayons" / c["slug"] / "_index.md",
            {"title": c["name"], "description": c["description"], "url": path, "aisle": c["slug"]},
        )

    write_page(content / "_index.md", {"title": town["site_name"]})
    write_page(content / "boutiques" / "_index.md", {"title": "Boutiques"})

    products = 0
    skipped = 0
    shops_dir = src / "shops"
    shop_slugs = sorted(e.name for e in os.scandir(shops_dir) if e.is_dir())
    for shop_slug in shop_slugs:
        sdir = shops_dir / shop_slug
        sizes = shop_images(sdir)
        shop = read_toml(sdir / "shop.toml")
        front = {
            "title": shop["name"],
            "shop": shop_slug,
            "trade": shop["trade"],
            "description": shop["description"],
            "phone": french_phone(shop["phone"]),
            "email": shop.get("email"),
            "charter_signed": date_str(shop.get("charter_signed")),
            "delivery": shop["delivery"],
            "preparation_minutes": shop.get("preparation_minutes"),
            "lastmod": shop.get("updated"),
            "picture": picture(shop["image"], sizes) if shop.get("image") else None,
            "address": shop["address"],
            "geo": {"lat": float(shop["geo"]["lat"]), "lon": float(shop["geo"]["lon"])},
            "hours": {d: shop.get("hours", {}).get(d, []) for d in
                      ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
        }
        write_page(content / "boutiques" / shop_slug / "_index.md", front)

        pdir = sdir / "products"
        files = sorted(e.name for e in os.scandir(pdir) if e.name.endswith(".md")) if pdir.is_dir() else []
        for name in files:
            path = pdir / name
            text = path.read_text(encoding="utf-8")
            fm_text, body = split_front(text)
            p = tomllib.loads(fm_text)
            if not p.get("published", True):
                skipped += 1
                continue
            slug = p.get("slug") or name[:-3]
            updated = p.get("updated")
            if updated is None:
                updated = dt.date.fromtimestamp(path.stat().st_mtime)
            out = {
                "title": p["title"],
                "ref": p["id"],
                "sortkey": fold(p["title"]) + "\t" + p["id"],
                "price": cents(p["price"]),
                "rayons": trail(p["category"]),
                "labels": p.get("tags", []),
                "brand": p.get("brand"),
                "gtin": p.get("gtin"),
                "grams": p["weight"],
                "stock": p.get("stock", 0),
                "pictures": [picture(i, sizes) for i in p.get("images", [])],
                "delivery": p.get("delivery"),
                "created": date_str(p.get("created")) or "",
                "lastmod": updated,
                # comptoir answers old paths with a 301 from redirects.tsv, it writes no page
                # for them; Hugo's `aliases` would write one HTML page each, so keep them aside.
                "old_paths": p.get("aliases"),
                "sale": {
                    "price": cents(p["sale"]["price"]),
                    "from": date_str(p["sale"]["from"]),
                    "until": date_str(p["sale"]["until"]),
                } if p.get("sale") else None,
                "variants": [
                    {
                        "sku": v["sku"],
                        "color": v.get("color"),
                        "size": v.get("size"),
                        "price": cents(v["price"]) if "price" in v else None,
                        "stock": v.get("stock", 0),
                        "gtin": v.get("gtin"),
                    }
                    for v in p.get("variants", [])
                ] or None,
            }
            file = f"{slug}.md"
            if slug in ("index", "_index"):
                # Hugo reads index.md / _index.md as bundle pages: give the URL explicitly.
                file = f"product-{slug}.md"
                out["url"] = f"/boutiques/{shop_slug}/{slug}/"
            write_page(content / "boutiques" / shop_slug / file, out, body.lstrip("\n"))
            products += 1
    return {"shops": len(shop_slugs), "products": products, "unpublished": skipped, "aisles": len(cats)}


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    counts = convert(src, dst)
    print(
        f"converted {counts['products']} products ({counts['unpublished']} unpublished skipped), "
        f"{counts['shops']} shops, {counts['aisles']} aisles into {dst}"
    )


if __name__ == "__main__":
    main()
