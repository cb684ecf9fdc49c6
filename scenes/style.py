"""The look of every scene, in one place: palette, text, layout helpers, number formatting.

In the 3Blue1Brown spirit: dark background, blue for positive weights and red for negative,
yellow only for what the eye should follow ("look here"). Two things compared side by side (true
vs shuffled labels, one run vs another) use blue vs orange, a pair colour-blind viewers can
tell apart. Scenes import from here rather than choosing colours. The run's name, seed and
settings belong on the end card (scenes/credits.py) and in the export manifest, not on every frame.
"""

from __future__ import annotations

import numpy as np
from manim import (
    UL,
    Circle,
    ImageMobject,
    ManimColor,
    MathTex,
    Text,
    VGroup,
    VMobject,
)
from manim.constants import RESAMPLING_ALGORITHMS

BACKGROUND = ManimColor("#101318")
POSITIVE = ManimColor("#58C4DD")  # 3b1b blue
NEGATIVE = ManimColor("#FC6255")  # 3b1b red
HIGHLIGHT = ManimColor("#FFFF00")
BALL = ManimColor("#FFD400")
TEXT = ManimColor("#ECECEC")
MUTED = ManimColor("#8A8F98")
GOOD = ManimColor("#83C167")
COMPARE_A = POSITIVE  # the first of two things compared (e.g. true labels)
COMPARE_B = ManimColor("#F5A623")  # the second (e.g. shuffled labels): orange, safe beside blue
SHUFFLED = COMPARE_B

FONT = "DejaVu Sans"  # installed by scripts/setup.sh (fonts-dejavu-core)
FONT_SIZE = 30
SMALL = 20
EDGE = 0.35  # margin to the frame edge, in scene units


def text(s: str, size: float = FONT_SIZE, color: ManimColor = TEXT, **kwargs) -> Text:
    return Text(s, font=FONT, font_size=size, color=color, **kwargs)


def tex(s: str, size: float = FONT_SIZE + 6, color: ManimColor = TEXT) -> MathTex:
    return MathTex(s, font_size=size, color=color)


def title(s: str) -> Text:
    """A scene title in the top-left corner."""
    return text(s, size=36).to_corner(UL, buff=EDGE)


def fmt(x: float, digits: int = 3) -> str:
    """A cost or activation for the screen: fixed decimals, no '-0.000'."""
    s = f"{x:.{digits}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# -- colours from data ---------------------------------------------------------------------------


def weights_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """Weights -> uint8 RGB image: blue (+) / red (-), fading to the background (black) as |w| -> 0."""
    t = np.clip(np.abs(values) / scale, 0, 1)[..., None]
    bg, pos, neg = (np.array(c.to_rgb()) for c in (BACKGROUND, POSITIVE, NEGATIVE))
    rgb = np.where(values[..., None] >= 0, bg + t * (pos - bg), bg + t * (neg - bg))
    return (255 * rgb).round().astype(np.uint8)


# -- pictures of data ----------------------------------------------------------------------------


def pixel_image(rgb_or_gray: np.ndarray, height: float) -> ImageMobject:
    """An image drawn with crisp square pixels (no smoothing), `height` scene units tall."""
    img = ImageMobject(rgb_or_gray)
    img.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
    img.height = height
    return img


def digit_image(pixels: np.ndarray, height: float = 2.5) -> ImageMobject:
    """A 784-vector in [0, 1] as a 28x28 grey image."""
    side = int(round(np.sqrt(pixels.size)))
    return pixel_image((255 * pixels.reshape(side, side)).round().astype(np.uint8), height)


def neuron(radius: float = 0.16, activation: float | None = None) -> Circle:
    """A neuron: a circle whose fill brightness is its activation (when given)."""
    c = Circle(radius=radius, color=TEXT, stroke_width=1.5)
    if activation is not None:
        c.set_fill(TEXT, opacity=float(np.clip(activation, 0, 1)))
    return c


# -- numbers as LaTeX (appended for scenes/cost.py and scenes/gradient.py) ---------------------------


def tex_number(x: float, digits: int = 3, signed: bool = False) -> str:
    """A number as a MathTex string: fixed decimals, or m \\times 10^{e} when fixed would show only 0s.

    Exact zero stays "0"; `signed` writes "+" on positives (for nudges, whose sign is the point).
    """
    x = float(x)
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ("+" if signed else "")
    if abs(x) >= 0.5 * 10.0**-digits:
        return sign + f"{abs(x):.{digits}f}"
    mantissa, exponent = f"{abs(x):.{max(digits - 2, 1)}e}".split("e")
    return sign + rf"{mantissa}\times 10^{{{int(exponent)}}}"


class LiveText(VGroup):
    """A short line of digits that changes every frame (a step counter, a cost).

    Manim's DecimalNumber deep-copies glyph mobjects on every change, which costs more than
    drawing a whole cost surface. LiveText draws its characters once, keeps a fixed pool of glyph
    mobjects, and on `set_text` only moves outlines into them: no new mobjects, so nothing
    registered with the camera (fixed in frame) is lost. Move it freely; do not scale it.
    """

    CHARSET = "0123456789.,-+()%epoch"

    def __init__(self, s: str, size: float = FONT_SIZE, color: ManimColor = TEXT, max_chars: int = 24) -> None:
        atlas = Text(self.CHARSET, font=FONT, font_size=size, color=color)
        lefts = [g.get_left()[0] for g in atlas]
        baseline = atlas[0].get_bottom()[1]
        # each glyph's outline relative to its own left end on the baseline
        self._glyphs = {ch: g.points - [left, baseline, 0] for ch, g, left in zip(self.CHARSET, atlas, lefts)}
        self._advance = {ch: lefts[i + 1] - lefts[i] for i, ch in enumerate(self.CHARSET[:9])}
        for ch, g in zip(self.CHARSET[9:], atlas[9:]):
            self._advance[ch] = g.width + 0.15 * self._advance["0"]
        self._advance[" "] = 0.5 * self._advance["0"]
        origin = np.array([lefts[0], baseline, 0.0])
        # An invisible pin at the baseline's left end moves with every shift/next_to/arrange the
        # group gets, so set_text always knows where the line starts.
        self._pin = VMobject(fill_opacity=0, stroke_width=0).set_points(np.repeat([origin], 4, axis=0))
        slots = [VMobject(fill_color=color, fill_opacity=1, stroke_width=0).set_points(self._pin.points.copy())
                 for _ in range(max_chars)]
        super().__init__(self._pin, *slots)
        self._slots = slots
        self.set_text(s)

    def set_text(self, s: str) -> LiveText:
        anchor, cursor = self._pin.points[0], 0.0
        slots = iter(self._slots)
        for ch in s:
            if ch != " ":
                next(slots).set_points(self._glyphs[ch] + anchor + [cursor, 0, 0])
            cursor += self._advance.get(ch, self._advance["0"])
        for slot in slots:  # unused slots collapse onto the pin (an emptied VMobject loses its fill)
            slot.set_points(np.repeat([anchor], 4, axis=0))
        return self
