"""The class diagram as SVG, laid out in pure Python: classes in layers by subclass depth (roots on
top), rows wrapped to a maximum width; subclass arrows (hollow heads) and object-property arrows
(dashed, labelled). Each box links to its class page."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BOX_HEIGHT = 30
ROW_GAP = 70
COLUMN_GAP = 24
MAX_WIDTH = 1400
CHAR_WIDTH = 7.2
MARGIN = 20


@dataclass(frozen=True)
class Box:
    iri: str
    label: str
    href: str
    x: float
    y: float
    width: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + BOX_HEIGHT / 2


def layout(
    classes: dict[str, tuple[str, str]], parents: dict[str, list[str]]
) -> tuple[dict[str, Box], float, float]:
    """Boxes for ``classes`` (iri -> (label, href)), layered by depth in ``parents``."""
    depth: dict[str, int] = {}

    def depth_of(iri: str, trail: frozenset[str] = frozenset()) -> int:
        if iri not in depth:
            known = [p for p in parents.get(iri, []) if p in classes and p not in trail]
            depth[iri] = 1 + max((depth_of(p, trail | {iri}) for p in known), default=-1)
        return depth[iri]

    layers: dict[int, list[str]] = {}
    for iri in sorted(classes, key=lambda i: classes[i][0].lower()):
        layers.setdefault(depth_of(iri), []).append(iri)
    boxes: dict[str, Box] = {}
    y = float(MARGIN)
    widest = 0.0
    for level in sorted(layers):
        order = sorted(
            layers[level], key=lambda i: (_parent_x(i, parents, boxes), classes[i][0].lower())
        )
        x = float(MARGIN)
        for iri in order:
            label, href = classes[iri]
            width = len(label) * CHAR_WIDTH + 20
            if x + width > MAX_WIDTH and x > MARGIN:
                x, y = float(MARGIN), y + BOX_HEIGHT + ROW_GAP / 2
            boxes[iri] = Box(iri, label, href, x, y, width)
            x += width + COLUMN_GAP
            widest = max(widest, x)
        y += BOX_HEIGHT + ROW_GAP
    return boxes, widest + MARGIN, y


def _parent_x(iri: str, parents: dict[str, list[str]], boxes: dict[str, Box]) -> float:
    placed = [boxes[p].x for p in parents.get(iri, []) if p in boxes]
    return min(placed) if placed else -1.0


def render_svg(
    classes: dict[str, tuple[str, str]],
    parents: dict[str, list[str]],
    links: list[tuple[str, str, str]],
    title: str,
) -> str:
    """``links``: (label, from class, to class) for object properties."""
    boxes, width, height = layout(classes, parents)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        "<defs>"
        '<marker id="sub" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="white" stroke="#333"/></marker>'
        '<marker id="obj" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1f5f99"/></marker>'
        "</defs>",
    ]
    for label, source, target in links:
        if source in boxes and target in boxes and source != target:
            (x1, y1), (x2, y2) = boxes[source].centre, boxes[target].centre
            parts.append(
                f'<g class="property"><line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                'stroke="#1f5f99" stroke-dasharray="4 3" marker-end="url(#obj)"/>'
                f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 3:.0f}" fill="#1f5f99" '
                f'text-anchor="middle">{escape(label)}</text></g>'
            )
    for iri, box in boxes.items():
        for parent in parents.get(iri, []):
            if parent in boxes:
                top = boxes[parent]
                parts.append(
                    f'<line class="subclass" x1="{box.x + box.width / 2:.0f}" y1="{box.y:.0f}" '
                    f'x2="{top.x + top.width / 2:.0f}" y2="{top.y + BOX_HEIGHT:.0f}" stroke="#333" '
                    'marker-end="url(#sub)"/>'
                )
    for box in boxes.values():
        parts.append(
            f'<a href="{escape(box.href)}"><g class="class">'
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.width:.0f}" height="{BOX_HEIGHT}" '
            'rx="4" fill="#f4f7fb" stroke="#1f3b57"/>'
            f'<text x="{box.x + box.width / 2:.0f}" y="{box.y + 19:.0f}" text-anchor="middle">'
            f"{escape(box.label)}</text></g></a>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
